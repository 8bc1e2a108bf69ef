package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReplyRingTest {
    @Test
    void fieldsSurviveTheRoundTrip() {
        ReplyRing ring = new ReplyRing(8);
        assertTrue(ring.isEmpty());
        ring.add(3, 65535, 63, 2, 22, 255, 123_456_789_012L);
        List<String> seen = new ArrayList<>();
        ring.drain((h, p, t, s, r, ttl, n) -> seen.add(h + " " + p + " " + t + " " + s + " " + r + " " + ttl + " " + n));
        assertEquals(List.of("3 65535 63 2 22 255 123456789012"), seen);
        assertTrue(ring.isEmpty());
    }

    @Test
    void capacityFollowsTheScanSize() {
        assertEquals(16, ReplyRing.capacityFor(1));
        assertEquals(2048, ReplyRing.capacityFor(1000));
        assertEquals(ReplyRing.MAX_CAPACITY, ReplyRing.capacityFor(16L * 65535));
    }

    @Test
    void aFullRingLosesNothing() {
        ReplyRing ring = new ReplyRing(4);
        for (int i = 0; i < 10; i++) {
            ring.add(0, i, 0, 0, 0, 64, i);
        }
        long[] sum = new long[1];
        assertEquals(10, ring.drain((h, p, t, s, r, ttl, n) -> sum[0] += p));
        assertEquals(45, sum[0]);
        // The ring is usable again after the overflow.
        ring.add(1, 7, 0, 0, 0, 64, 0);
        assertEquals(1, ring.drain((h, p, t, s, r, ttl, n) -> assertEquals(7, p)));
    }

    @Test
    void concurrentProducersDeliverEveryReplyOnce() throws Exception {
        ReplyRing ring = new ReplyRing(64);
        int producers = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < producers; t++) {
            int host = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    ring.add(host, i & 0xffff, i % 64, 1, 2, 64, i);
                }
            });
            thread.start();
            threads.add(thread);
        }
        boolean[][] seen = new boolean[producers][each];
        int[] count = new int[1];
        start.countDown();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (count[0] < producers * each && System.nanoTime() < deadline) {
            ring.drain((h, p, t, s, r, ttl, n) -> {
                int i = (int) n;
                assertEquals(i & 0xffff, p);
                assertEquals(i % 64, t);
                assertTrue(!seen[h][i], "delivered twice");
                seen[h][i] = true;
                count[0]++;
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(producers * each, count[0]);
    }
}
