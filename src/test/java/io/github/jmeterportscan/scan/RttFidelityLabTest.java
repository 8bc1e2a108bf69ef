package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The round-trip time a scan reports is the network's, not the scanner's overhead: a capture on
 * the target's side of the link (tshark inside the namespace) gives each probe's SYN -> reply
 * delta as the target saw it, and every answered port's reported RTT must be within 20 us of it
 * at the median and 200 us at the 99th percentile. Each scan sends from its own fixed source
 * port (-g), so a probe and its reply are paired on the wire by their ports alone.
 */
class RttFidelityLabTest {
    private static final Logger LOG = LoggerFactory.getLogger(RttFidelityLabTest.class);
    private static final int[] OPEN = {22, 80, 443};
    private static final int[] CLOSED = {81, 82, 83, 84, 85};
    private static final int FIRST_SOURCE_PORT = 41000;
    private static final long MEDIAN_BOUND_MICROS = 20;
    private static final long P99_BOUND_MICROS = 200;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-rtt-", () -> NetnsLab.builder()
            .subnets("198.18.61.0/24", "2001:db8:61::/64").plan(plan()));

    @BeforeAll
    static void requireTshark() {
        Privileges.require(Commands.installed("tshark"), "tshark captures the lab link on the target's side");
    }

    private static LabPortPlan plan() {
        LabPortPlan.Builder plan = LabPortPlan.builder();
        for (int port : OPEN) {
            plan.port(port, PortBehavior.OPEN);
        }
        for (int port : CLOSED) {
            plan.port(port, PortBehavior.CLOSED);
        }
        return plan.build();
    }

    @Test
    void reportedRttsMatchTheWireForOneScanAtATime() throws Exception {
        List<Long> differences = measure(40, 1);
        assertWithinBounds("one scan at a time", differences);
    }

    @Test
    void reportedRttsMatchTheWireWithAHundredConcurrentScans() throws Exception {
        List<Long> differences = measure(100, 100);
        assertWithinBounds("100 concurrent scans", differences);
    }

    /**
     * A connect scan's RTT of an open port is the kernel's own measure of the handshake
     * (TCP_INFO), not the time the scanner took to notice the connection: one connect at a time,
     * so the n-th SYN to a port on the wire is the n-th scan of it.
     */
    @Test
    void connectScanRttsAreTheKernelsMeasureOfTheHandshake() throws Exception {
        assertTrue(io.github.jmeterportscan.link.TcpInfo.available(),
                "the test JVM exports sun.nio.ch, as portscan.jar's manifest does");
        InetAddress target = LAB.lab().target(IpFamily.V4);
        Path pcap = Files.createTempFile("ps-rtt-", ".pcap");
        Process tshark = startCapture(pcap);
        Map<Integer, List<Long>> reported = new HashMap<>();
        try {
            for (int scan = 0; scan < 30; scan++) {
                int port = OPEN[scan % OPEN.length];
                ScanJob job = ScanJobs.connect(List.of(Target.of(target)), PortSet.of(new int[] {port}),
                        ScanJobs.t4());
                PortResult result = new ConnectPortScanner().scan(job, ScanObserver.NONE).get(0).ports().get(0);
                assertTrue(result.state() == PortState.OPEN && result.hasRtt(), "open with an RTT: " + result);
                reported.computeIfAbsent(port, p -> new ArrayList<>()).add(result.rttMicros());
            }
        } finally {
            stopCapture(tshark);
        }
        Map<Integer, List<Long>> wire = handshakeDeltasByPort(pcap, target);
        Files.deleteIfExists(pcap);
        List<Long> differences = new ArrayList<>();
        for (Map.Entry<Integer, List<Long>> entry : reported.entrySet()) {
            List<Long> onWire = wire.getOrDefault(entry.getKey(), List.of());
            assertEquals(entry.getValue().size(), onWire.size(), "one handshake on the wire per scan of "
                    + entry.getKey());
            for (int i = 0; i < onWire.size(); i++) {
                differences.add(Math.abs(entry.getValue().get(i) - onWire.get(i)));
            }
        }
        assertWithinBounds("connect scans", differences);
    }

    /** Per target port, in capture order: microseconds from a SYN reaching the target to its SYN-ACK leaving. */
    private static Map<Integer, List<Long>> handshakeDeltasByPort(Path pcap, InetAddress target) {
        Commands.Result read = Commands.run(Duration.ofSeconds(60), "tshark", "-n", "-r", pcap.toString(),
                "-T", "fields", "-E", "separator=,", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.srcport",
                "-e", "tcp.dstport", "-e", "tcp.flags");
        Map<String, Long> synNanos = new HashMap<>();
        Map<Integer, List<Long>> deltas = new HashMap<>();
        for (String line : read.stdout().split("\n")) {
            String[] f = line.strip().split(",");
            if (f.length < 5) {
                continue;
            }
            int flags = Integer.decode(f[4]);
            if (!f[1].equals(target.getHostAddress()) && flags == 0x002) {
                synNanos.putIfAbsent(f[2] + ">" + f[3], epochNanos(f[0]));
            } else if (f[1].equals(target.getHostAddress()) && flags == 0x012) {
                Long syn = synNanos.remove(f[3] + ">" + f[2]);
                if (syn != null) {
                    deltas.computeIfAbsent(Integer.parseInt(f[2]), p -> new ArrayList<>())
                            .add((epochNanos(f[0]) - syn) / 1000);
                }
            }
        }
        return deltas;
    }

    /**
     * Runs {@code scans} SYN scans of the lab's ports, {@code threads} at a time, while tshark
     * captures in the namespace; returns |reported - wire| in microseconds per answered port.
     */
    private static List<Long> measure(int scans, int threads) throws Exception {
        InetAddress target = LAB.lab().target(IpFamily.V4);
        Path pcap = Files.createTempFile("ps-rtt-", ".pcap");
        Process tshark = startCapture(pcap);
        Map<String, Long> reported = Collections.synchronizedMap(new HashMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int s = 0; s < scans; s++) {
                int sourcePort = FIRST_SOURCE_PORT + s;
                runs.add(pool.submit(() -> {
                    for (PortResult port : scan(target, sourcePort).ports()) {
                        if (port.hasRtt() && port.state() != PortState.FILTERED) {
                            reported.put(sourcePort + ">" + port.port(), port.rttMicros());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            stopCapture(tshark);
        }
        Map<String, Long> wire = wireDeltas(pcap, target);
        Files.deleteIfExists(pcap);
        List<Long> differences = new ArrayList<>();
        for (Map.Entry<String, Long> entry : reported.entrySet()) {
            Long onWire = wire.get(entry.getKey());
            if (onWire != null) {
                differences.add(Math.abs(entry.getValue() - onWire));
            }
        }
        assertTrue(differences.size() >= reported.size() * 9 / 10,
                "paired " + differences.size() + " of " + reported.size() + " answered probes with the wire");
        return differences;
    }

    private static HostResult scan(InetAddress target, int sourcePort) throws Exception {
        int[] ports = new int[OPEN.length + CLOSED.length];
        System.arraycopy(OPEN, 0, ports, 0, OPEN.length);
        System.arraycopy(CLOSED, 0, ports, OPEN.length, CLOSED.length);
        ScanJob job = new ScanJob(List.of(Target.of(target)), PortSet.of(ports), ScanType.SYN,
                ScanJobs.fixedTimeout(Duration.ofMillis(500), 0), true, OptionalInt.of(sourcePort), Optional.empty(),
                false);
        return new RawPortScanner(Links::open).scan(job, ScanObserver.NONE).get(0);
    }

    private static Process startCapture(Path pcap) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(LAB.lab().commandPrefix());
        command.addAll(List.of("tshark", "-q", "-n", "-i", LAB.lab().namespaceInterface(), "-F", "pcap", "-w",
                pcap.toString(), "-f", "tcp"));
        Process process = Commands.start(new ProcessBuilder(command).redirectErrorStream(true));
        // tshark says "Capturing on" once the capture is set up.
        java.io.BufferedReader output = new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String line;
        while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
            if (line.contains("Capturing on")) {
                Thread drain = new Thread(() -> output.lines().forEach(l -> { }), "tshark-output");
                drain.setDaemon(true);
                drain.start();
                // dumpcap reports the capture a moment before its filter is attached to the socket
                Thread.sleep(500);
                return process;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("tshark did not start capturing in the lab namespace");
    }

    private static void stopCapture(Process tshark) throws InterruptedException {
        Thread.sleep(300);
        tshark.destroy();
        if (!tshark.waitFor(10, TimeUnit.SECONDS)) {
            tshark.destroyForcibly();
        }
    }

    /** "sourcePort>targetPort" -> microseconds from our SYN reaching the target to its reply leaving. */
    private static Map<String, Long> wireDeltas(Path pcap, InetAddress target) {
        Commands.Result read = Commands.run(Duration.ofSeconds(60), "tshark", "-n", "-r", pcap.toString(),
                "-T", "fields", "-E", "separator=,", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.srcport",
                "-e", "tcp.dstport", "-e", "tcp.flags");
        Map<String, Long> synNanos = new HashMap<>();
        Map<String, Integer> synCount = new HashMap<>();
        Map<String, Long> deltas = new HashMap<>();
        String targetLiteral = target.getHostAddress();
        for (String line : read.stdout().split("\n")) {
            String[] f = line.strip().split(",");
            if (f.length < 5) {
                continue;
            }
            long nanos = epochNanos(f[0]);
            int flags = Integer.decode(f[4]);
            if (!f[1].equals(targetLiteral) && flags == 0x002) {
                String key = f[2] + ">" + f[3];
                synNanos.putIfAbsent(key, nanos);
                synCount.merge(key, 1, Integer::sum);
            } else if (f[1].equals(targetLiteral)) {
                String key = f[3] + ">" + f[2];
                Long syn = synNanos.get(key);
                if (syn != null && synCount.get(key) == 1 && !deltas.containsKey(key)) {
                    deltas.put(key, (nanos - syn) / 1000);
                }
            }
        }
        return deltas;
    }

    private static long epochNanos(String seconds) {
        int dot = seconds.indexOf('.');
        String fraction = (seconds.substring(dot + 1) + "000000000").substring(0, 9);
        return Long.parseLong(seconds.substring(0, dot)) * 1_000_000_000L + Long.parseLong(fraction);
    }

    private static void assertWithinBounds(String what, List<Long> differences) {
        Collections.sort(differences);
        long median = differences.get(differences.size() / 2);
        long p99 = differences.get(Math.min(differences.size() - 1, (int) Math.ceil(differences.size() * 0.99) - 1));
        LOG.info("RTT fidelity, {}: {} probes, |reported - wire| median {} us, p99 {} us, max {} us", what,
                differences.size(), median, p99, differences.get(differences.size() - 1));
        assertTrue(median <= MEDIAN_BOUND_MICROS && p99 <= P99_BOUND_MICROS, what + ": |reported - wire| median "
                + median + " us (bound " + MEDIAN_BOUND_MICROS + "), p99 " + p99 + " us (bound " + P99_BOUND_MICROS
                + ") over " + differences.size() + " probes");
    }
}
