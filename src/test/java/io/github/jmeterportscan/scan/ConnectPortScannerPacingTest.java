package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --scan-delay and the file-descriptor limit, on loopback (--max-rate is in {@link SchedulingContract}): a port range next to a
 * listener of ours (the listener open, the rest closed as the kernel's tables say).
 */
class ConnectPortScannerPacingTest {
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();

    private record Scanned(HostResult host, double seconds) {
    }

    private static Scanned scan(ConnectPortScanner scanner, PortSet ports, Timing timing) throws Exception {
        long start = System.nanoTime();
        HostResult host = scanner.scan(ScanJobs.connect(List.of(Target.of(V4)), ports, timing), ScanObserver.NONE).get(0);
        return new Scanned(host, (System.nanoTime() - start) / 1e9);
    }

    /** Our listener open, every port without a listener before or after closed. */
    private static void assertVerdicts(HostResult host, PortSet ports, int listener,
                                       LoopbackListeners before, LoopbackListeners after) {
        assertEquals(ports.size(), host.ports().size());
        for (PortResult port : host.ports()) {
            if (port.port() == listener) {
                assertEquals(PortState.OPEN, port.state());
            } else if (!before.definite().contains(port.port()) && !after.definite().contains(port.port())
                    && !before.ambiguous().contains(port.port()) && !after.ambiguous().contains(port.port())) {
                assertEquals(PortState.CLOSED, port.state(), "port " + port.port());
            }
        }
    }

    @Test
    void scanDelaySpacesTheConnectsToOneHost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, V4)) {
            PortSet ports = window(server.getLocalPort(), 20);
            Timing timing = ScanJobs.withRates(ScanJobs.t4(), Duration.ofMillis(20), 0, 0);
            LoopbackListeners before = LoopbackListeners.on(V4);
            Scanned scanned = scan(new ConnectPortScanner(), ports, timing);
            assertVerdicts(scanned.host(), ports, server.getLocalPort(), before, LoopbackListeners.on(V4));
            assertTrue(scanned.seconds() >= 0.38, "took " + scanned.seconds() + " s");
        }
    }

    /**
     * With only a dozen descriptors free, a scanner allowed 1000 in flight hits EMFILE, shrinks
     * its window and still finishes; with none free it fails with an actionable message.
     */
    @Test
    void runningOutOfDescriptors() throws Exception {
        Privileges.require(Platform.isLinux() && Platform.is64Bit(), "Linux rlimit layout (two 64-bit longs)");
        long hard = hardLimit();
        try (ServerSocket server = new ServerSocket(0, 50, V4)) {
            PortSet ports = window(server.getLocalPort(), 600);
            LoopbackListeners before = LoopbackListeners.on(V4);
            Scanned scanned;
            setSoftLimit(FileDescriptorBudget.openDescriptors() + 16, hard);
            try {
                scanned = scan(new ConnectPortScanner(1000), ports, ScanJobs.t4());
            } finally {
                setSoftLimit(hard, hard);
            }
            assertVerdicts(scanned.host(), ports, server.getLocalPort(), before, LoopbackListeners.on(V4));

            // Room for the scan's selector and not one socket more: fill the table, then free
            // what a selector takes. Collect garbage first so no cleaner frees a descriptor later.
            long selectorDescriptors;
            long withoutSelector = FileDescriptorBudget.openDescriptors();
            try (Selector selector = Selector.open()) {
                selectorDescriptors = FileDescriptorBudget.openDescriptors() - withoutSelector;
            }
            System.gc();
            Thread.sleep(200);
            List<FileInputStream> fillers = new ArrayList<>();
            ScanException error;
            setSoftLimit(FileDescriptorBudget.openDescriptors() + 64, hard);
            try {
                try {
                    for (int i = 0; i < 200; i++) {
                        fillers.add(new FileInputStream("/dev/null"));
                    }
                } catch (IOException full) {
                    // The table is full.
                }
                for (int i = 0; i < selectorDescriptors; i++) {
                    fillers.remove(fillers.size() - 1).close();
                }
                error = assertThrows(ScanException.class,
                        () -> scan(new ConnectPortScanner(1000), ports, ScanJobs.t4()));
            } finally {
                setSoftLimit(hard, hard);
                for (FileInputStream filler : fillers) {
                    filler.close();
                }
            }
            // Whether the last free descriptor went to the selector or not depends on what other
            // threads of the JVM hold at that instant; either way the user is told what to do.
            assertTrue(error.getMessage().startsWith("Connect scan cannot")
                    && error.getMessage().contains("Too many open files")
                    && error.getMessage().contains("ulimit -n"), error.getMessage());
        }
    }

    private static PortSet window(int center, int size) {
        int first = Math.max(1, Math.min(65535 - size + 1, center - size / 2));
        return PortSet.range(first, first + size - 1);
    }

    /** getrlimit/setrlimit for RLIMIT_NOFILE through JNA: no fork, which needs descriptors. */
    interface RLimits extends Library {
        int RLIMIT_NOFILE = 7;

        int getrlimit(int resource, long[] limits);

        int setrlimit(int resource, long[] limits);
    }

    private static final RLimits LIBC = Native.load(Platform.C_LIBRARY_NAME, RLimits.class);

    private static long hardLimit() {
        long[] limits = new long[2];
        assertEquals(0, LIBC.getrlimit(RLimits.RLIMIT_NOFILE, limits));
        return limits[1];
    }

    private static void setSoftLimit(long soft, long hard) {
        assertEquals(0, LIBC.setrlimit(RLimits.RLIMIT_NOFILE, new long[] {soft, hard}), "setrlimit");
    }
}
