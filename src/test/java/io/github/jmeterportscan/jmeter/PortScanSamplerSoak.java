package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.CaptureStats;
import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.testsupport.ListeningPorts;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ProcessResources;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.reporters.ResultCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak: a real test plan (soak.jmx: four JMeter threads, SYN scans of 100-port blocks and of
 * single ports on 127.80.0.1, per-port samples on ::1) in a real in-process JMeter engine for
 * {@value #DEFAULT_SECONDS} s (property {@code portscan.soak.seconds}), at least a million probes,
 * every port checked against the listeners this test opened ({@link TruthCheck}). The process's
 * resources are read after the first minute and at the end, with the test still running both
 * times, and must not grow beyond the tolerances below: a leak of one file descriptor, thread or
 * a hundred bytes per sample, over the hundreds of thousands of samples in between, exceeds them
 * many times over. The capture's drop counter must stay 0. Figures go to the log and to
 * {@code target/soak/soak-report.txt}.
 *
 * <p>Runs only in the {@code soak} Maven profile ({@code ./mvnw -B -Psoak test}): the class name
 * does not match the default test patterns.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class PortScanSamplerSoak {
    private static final Logger LOG = LoggerFactory.getLogger(PortScanSamplerSoak.class);
    private static final int DEFAULT_SECONDS = 240;
    private static final long FIRST_MEASUREMENT_MILLIS = 60_000;
    private static final long MIN_PROBES = 1_000_000;
    /** Descriptors the JVM may open by itself between the two readings (none seen in practice). */
    private static final int FD_TOLERANCE = 4;
    /** Threads that may come and go by themselves (JMeter's engine pool, the JIT's compiler threads). */
    private static final int THREAD_TOLERANCE = 4;
    /**
     * Live heap may differ by what the scans in flight hold at the moment of reading; 8 MB is
     * several times that, and a fraction of what a leak of a hundred bytes per sample piles up.
     */
    private static final long HEAP_TOLERANCE_BYTES = 8L << 20;

    private static final String TARGET4 = "127.80.0.1";
    private static final String TARGET6 = "::1";
    /** Below the ephemeral range, where the other tests' listeners (bound to port 0) never are. */
    private static final int FIRST_BASE = 20_000;
    private static final int LAST_BASE = 31_900;
    private static final int BLOCK = 100;
    private static final int[] OPEN_IN_BLOCK = {3, 17, 42, 71, 99};
    private static final int V6_PORTS = 8;
    private static final int ONE_CLOSED = 50;

    @TempDir
    Path dir;
    private final List<ServerSocket> listeners = new ArrayList<>();

    @AfterEach
    void closeListeners() throws IOException {
        for (ServerSocket listener : listeners) {
            listener.close();
        }
    }

    /** A reading of the process at one moment of the soak. */
    record Reading(long millis, long samples, long probes, ProcessResources resources, long liveHeap,
            CaptureStats capture) {
        String line() {
            return String.format("t=%ds samples=%d probes=%d %s live-heap=%.1fMB capture received=%d dropped=%d "
                    + "if-dropped=%d", millis / 1000, samples, probes, resources.handles(), liveHeap / 1048576.0,
                    capture.received(), capture.dropped(), capture.droppedByInterface());
        }
    }

    @Test
    void aMillionProbesThroughJMeterLeaveResourcesFlatAndEveryPortRight() throws Exception {
        Privileges.requireRoot("SYN scans through the shared capture, whose drop counter this test reads");
        long seconds = Long.getLong("portscan.soak.seconds", DEFAULT_SECONDS);
        assertTrue(seconds * 1000 > FIRST_MEASUREMENT_MILLIS + 30_000, "the soak must run well past its first minute");
        int base = listen();
        Map<Integer, String> block = new TreeMap<>();
        for (int p = base; p < base + BLOCK; p++) {
            block.put(p, "closed");
        }
        for (int offset : OPEN_IN_BLOCK) {
            block.put(base + offset, "open");
        }
        Map<Integer, String> v6 = new TreeMap<>(block.entrySet().stream().filter(e -> e.getKey() < base + V6_PORTS)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        int openOne = base + OPEN_IN_BLOCK[2];
        int closedOne = base + ONE_CLOSED;
        TruthCheck check = new TruthCheck(Map.of(
                "v4 block", new TruthCheck.Scan(TARGET4, block),
                "v6 per port", new TruthCheck.Scan(TARGET6, v6),
                "v4 one open", new TruthCheck.Scan(TARGET4, Map.of(openOne, "open")),
                "v4 one closed", new TruthCheck.Scan(TARGET4, Map.of(closedOne, "closed"))));
        Map<String, String> properties = Map.of(
                "target4", TARGET4, "target6", TARGET6,
                "block_ports", base + "-" + (base + BLOCK - 1), "block_expected", expected(block),
                "v6_ports", base + "-" + (base + V6_PORTS - 1), "v6_expected", expected(v6),
                "open_port", String.valueOf(openOne), "closed_port", String.valueOf(closedOne));
        // Only failed samples are written: a failure's row says what the sampler saw.
        ResultCollector errors = new ResultCollector();
        errors.setFilename(dir.resolve("errors.jtl").toString());
        errors.setErrorLogging(true);

        ProcessResources before = ProcessResources.now();
        long start = System.nanoTime();
        StandardJMeterEngine engine = EmbeddedJMeter.start(EmbeddedJMeter.plan("/io/github/jmeterportscan/jmeter/soak.jmx",
                dir), properties, List.of(errors, check));
        Reading first;
        Reading last;
        try {
            sleepUntil(start, FIRST_MEASUREMENT_MILLIS);
            first = read(start, check);
            LOG.info("soak, first minute: {}", first.line());
            sleepUntil(start, seconds * 1000);
            last = read(start, check);
            LOG.info("soak, end: {}", last.line());
        } finally {
            // JMeter's Shutdown: every thread finishes its sample, then the test ends.
            engine.askThreadsToStop();
            engine.awaitTermination(Duration.ofSeconds(60));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ProcessResources after = settled(before);
        String report = report(seconds, elapsedMillis, check, before, first, last, after);
        LOG.info("soak report:\n{}", report);
        Path reportDir = Path.of(System.getProperty("portscan.soak.reportDir", "target"), "soak");
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("soak-report.txt"), report);

        assertEquals(List.of(), check.firstProblems(), check.problemCount() + " samples or ports differ from the truth"
                + foreignListeners(base));
        assertTrue(check.probes() >= MIN_PROBES, "only " + check.probes() + " probes");
        assertTrue(last.resources().fds() <= first.resources().fds() + FD_TOLERANCE,
                "file descriptors grew: " + first.line() + " -> " + last.line());
        assertTrue(last.resources().threads() <= first.resources().threads() + THREAD_TOLERANCE,
                "threads grew: " + first.line() + " -> " + last.line());
        assertTrue(last.liveHeap() <= first.liveHeap() + HEAP_TOLERANCE_BYTES,
                "live heap grew: " + first.line() + " -> " + last.line());
        assertTrue(first.capture().received() > 0, "the capture read was not the test's: " + first.line());
        assertEquals(0, last.capture().dropped(), "the capture dropped packets: " + last.line());
        assertEquals(0, last.capture().droppedByInterface(), "the interface dropped packets: " + last.line());
        assertEquals(0, after.captureThreads(), "the capture outlived the test: " + after.handles());
        assertEquals(before.packetSockets(), after.packetSockets(), "a pcap handle outlived the test");
        assertEquals(before.rawSockets(), after.rawSockets(), "a raw socket outlived the test");
    }

    /** Opens the listeners of a port block that nothing else listens on; returns its first port. */
    private int listen() throws IOException {
        Set<Integer> busy = ListeningPorts.any();
        for (int base = FIRST_BASE; base <= LAST_BASE; base += BLOCK) {
            int first = base;
            if (busy.stream().anyMatch(p -> p >= first && p < first + BLOCK)) {
                continue;
            }
            try {
                for (int offset : OPEN_IN_BLOCK) {
                    listeners.add(bound(TARGET4, base + offset));
                    if (offset < V6_PORTS) {
                        listeners.add(bound(TARGET6, base + offset));
                    }
                }
                return base;
            } catch (BindException e) {
                closeListeners();
                listeners.clear();
            }
        }
        throw new IllegalStateException("no free block of " + BLOCK + " ports in " + FIRST_BASE + "-" + LAST_BASE);
    }

    private static ServerSocket bound(String address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // SYN probes never complete a handshake, so nothing waits to be accepted; the backlog
            // only bounds half-open connections, which our kernel's RST clears at once.
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1024);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The sampler's own expectation: every port closed but the open ones. */
    private static String expected(Map<Integer, String> states) {
        String open = states.entrySet().stream().filter(e -> e.getValue().equals("open"))
                .map(e -> String.valueOf(e.getKey())).collect(Collectors.joining(","));
        return open.isEmpty() ? "closed" : "closed, " + open + "=open";
    }

    private static Reading read(long start, TruthCheck check) throws Exception {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long samples = check.samples();
        long probes = check.probes();
        ProcessResources resources = ProcessResources.now();
        long heap = ProcessResources.liveHeapAfterFullGc();
        // A link to the soak's target shares the capture the scans use (held open by the test).
        CaptureStats capture;
        try (PacketLink link = Links.open(InetAddress.getByName(TARGET4), Optional.empty())) {
            capture = link.captureStats();
        }
        return new Reading(millis, samples, probes, resources, heap, capture);
    }

    private static void sleepUntil(long start, long millis) throws InterruptedException {
        long left;
        while ((left = millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)) > 0) {
            Thread.sleep(Math.min(left, 1000));
        }
    }

    /** The process once the test's captures have closed (they close on their own thread). */
    private static ProcessResources settled(ProcessResources before) throws InterruptedException {
        ProcessResources now = ProcessResources.now();
        for (int i = 0; i < 100 && (now.captureThreads() > 0 || now.packetSockets() > before.packetSockets()
                || now.rawSockets() > before.rawSockets()); i++) {
            Thread.sleep(50);
            now = ProcessResources.now();
        }
        return now;
    }

    private static String report(long seconds, long elapsedMillis, TruthCheck check, ProcessResources before,
            Reading first, Reading last, ProcessResources after) {
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("probes", check.probes());
        lines.put("samples", check.samples());
        lines.put("problems", check.problemCount());
        lines.put("planned.seconds", seconds);
        lines.put("duration.seconds", String.format("%.1f", elapsedMillis / 1000.0));
        lines.put("probes.per.second", check.probes() * 1000 / Math.max(1, last.millis()));
        lines.put("before", before.handles());
        lines.put("first", first.line());
        lines.put("end", last.line());
        lines.put("after", after.handles());
        lines.put("fds", first.resources().fds() + " -> " + last.resources().fds() + " (tolerance " + FD_TOLERANCE + ")");
        lines.put("threads", first.resources().threads() + " -> " + last.resources().threads() + " (tolerance "
                + THREAD_TOLERANCE + ")");
        lines.put("live.heap.bytes", first.liveHeap() + " -> " + last.liveHeap() + " (tolerance "
                + HEAP_TOLERANCE_BYTES + ")");
        lines.put("capture.dropped", first.capture().dropped() + " -> " + last.capture().dropped());
        lines.put("capture.received", first.capture().received() + " -> " + last.capture().received());
        return lines.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"))
                + "\n";
    }

    /** Listeners in the block that are not this test's: a port another program opened meanwhile. */
    private String foreignListeners(int base) throws IOException {
        Set<Integer> ours = listeners.stream().map(ServerSocket::getLocalPort).collect(Collectors.toSet());
        List<Integer> foreign = ListeningPorts.any().stream().filter(p -> p >= base && p < base + BLOCK)
                .filter(p -> !ours.contains(p)).sorted().toList();
        return foreign.isEmpty() ? "" : "; another program listens in the block meanwhile: " + foreign;
    }
}
