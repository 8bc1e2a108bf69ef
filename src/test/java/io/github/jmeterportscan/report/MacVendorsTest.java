package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vendor registry (32k lines in nmap's file) is read once per JVM: two hundred JMeter threads
 * finishing their first sample at the same moment share one table instead of each loading a copy,
 * which filled a 1 GB heap and paused the whole engine in garbage collection.
 */
class MacVendorsTest {
    private static final int THREADS = 200;

    @Test
    void twoHundredThreadsAskingAtOnceShareOneTable() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Map<String, String>>> tables = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tables.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    MacVendors.vendorOf("02:00:7C:8E:9C:02");
                    return MacVendors.table();
                }));
            }
            Map<String, String> first = tables.get(0).get(60, TimeUnit.SECONDS);
            for (Future<Map<String, String>> table : tables) {
                assertSame(first, table.get(60, TimeUnit.SECONDS), "every thread sees the one shared table");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnknownPrefixHasNoVendor() {
        assertEquals(java.util.Optional.empty(), MacVendors.vendorOf("02:00:00:00:00:01"));
    }
}
