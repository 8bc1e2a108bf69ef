package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ProcessSockets;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JMeter's distributed mode with two engines: two jmeter-server processes of the assembled JMeter on the loopback,
 * each with its own ports and its own {@code portscan.it.*} properties (another open port, its own pcap file), run
 * the plan for a controller started with {@code -R} naming both. Everything stays on 127.0.0.1.
 *
 * <p>The first test checks what users rely on: both engines scan (their rows carry their own {@code host:port-}
 * thread-name prefix), the controller's results file and HTML dashboard hold every probe exactly once, each engine
 * holds one pcap handle while the test runs and none after it (read from the engine's /proc while it lives), and the
 * controller sees through JMeter's default sample sender (StrippedBatch) the codes, messages, headers, sub-samples
 * and byte counts but no response data. The second test on the same engines gets {@code -Gportscan.scope=127.0.0.2}
 * from the controller (a global property, sent to every engine): each engine refuses its scans of 127.0.0.1 as
 * OutOfScope and opens no capture; its {@code -X} ends the engines after it. Every process is stopped by its id at
 * the end and none is left.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DistributedModeIT {

    private static final Duration SERVER_START = Duration.ofSeconds(90);
    private static final Duration CONTROLLER_RUN = Duration.ofMinutes(2);
    private static final Duration CAPTURE_CLOSE = Duration.ofSeconds(15);
    private static final Duration ENGINE_EXIT = Duration.ofSeconds(30);
    private static final int THREADS = 2;
    private static final int LOOPS = 3;
    /** How long each engine's test lasts at least, so that its open capture can be seen from outside. */
    private static final int HOLD_MILLIS = 1500;
    /** The scope of the second test: another loopback address, so that the plan's target is out of it. */
    private static final String SCOPE = "127.0.0.2";
    private static final Pattern PORT_HEADER = Pattern.compile(
            "X-PortScan-Port: 127\\.0\\.0\\.1 (\\d+) (open|closed) (syn-ack|reset) \\d+ \\d+");

    /** One engine and what it scans: its own open port and the closed port both share. */
    private record Engine(JMeterServer server, int openPort, Path pcap) {
        String openLabel() {
            return "127.0.0.1:" + openPort + "/tcp";
        }
    }

    @Test
    void twoEnginesScanAndTheControllerCountsEveryProbeOnce() throws Exception {
        Privileges.requireRoot("each engine's SYN scan holds a pcap handle, which the test counts in its /proc");
        AssembledJMeter jmeter = AssembledJMeter.locate();
        Path dir = ItPaths.emptyDir(ItPaths.outputDir().resolve("distributed"));
        Path plan = ItPaths.projectDir().resolve("src/test/jmeter/distributed/remote-port-scan.jmx");
        int closedPort = JMeterServer.freeLoopbackPort();
        List<Engine> engines = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        // A SYN scan needs only a listening socket: the kernel answers SYN-ACK, the scanner's RST ends it.
        try (ServerSocket openA = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket openB = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (var open : List.of(Map.entry("engine-a", openA), Map.entry("engine-b", openB))) {
                Path engineDir = dir.resolve(open.getKey());
                Path pcap = engineDir.resolve("packets.pcap");
                JMeterServer server = JMeterServer.start(jmeter, engineDir,
                        engineProperties(open.getValue().getLocalPort(), closedPort, pcap));
                engines.add(new Engine(server, open.getValue().getLocalPort(), pcap));
                pids.add(server.pid());
            }
            for (Engine engine : engines) {
                engine.server().awaitReady(SERVER_START);
                assertEquals(Optional.of(0), ProcessSockets.of(engine.server().pid()).map(s -> s.packet() + s.raw()),
                        engine.server() + " holds no capture and no raw socket before a test");
            }
            String remotes = engines.stream().map(e -> e.server().address()).collect(Collectors.joining(","));
            Path xml = dir.resolve("controller-copy.xml");
            Map<String, String> controller = new HashMap<>(JMeterServer.NO_RMI_SSL);
            controller.put("portscan.it.controller_xml", xml.toString());

            HeadlessRun first;
            try (SocketWatch watch = SocketWatch.start(pids)) {
                first = HeadlessRun.run(jmeter, plan, dir.resolve("first-test"), true,
                        List.of(JMeterServer.LOOPBACK_RMI), List.of("-R", remotes), controller, CONTROLLER_RUN);
                assertOneCaptureEach(engines, watch, dir, "first test");
            }
            for (Engine engine : engines) {
                assertCaptureClosed(engine.server(), dir);
                assertTestLogged(engine.server());
                assertPacketsInOwnFile(engine, closedPort);
            }
            ResultsFile rows = first.resultsFile();
            assertEveryProbeOnce(rows, engines, closedPort);
            assertDashboardCountsProbes(new Dashboard(first.report()), rows, engines, closedPort);
            assertStrippedButComplete(XmlResults.read(xml), engines);

            // The engines serve a second test, with a scope sent from the controller to both as a global property
            // (-G); it leaves 127.0.0.1 out. -X asks the engines to exit after the test.
            controller.remove("portscan.it.controller_xml");
            try (SocketWatch watch = SocketWatch.start(pids)) {
                HeadlessRun second = HeadlessRun.run(jmeter, plan, dir.resolve("second-test"), false,
                        List.of(JMeterServer.LOOPBACK_RMI), List.of("-R", remotes, "-X", "-Gportscan.scope=" + SCOPE),
                        controller, CONTROLLER_RUN);
                assertRefusedByTheGlobalScope(second.resultsFile(), engines, watch, dir);
            }
            for (Engine engine : engines) {
                assertTrue(engine.server().exitsWithin(ENGINE_EXIT), engine.server() + " did not exit after -X");
            }
        } finally {
            engines.forEach(engine -> engine.server().close());
        }
        assertNothingLeft(pids, dir);
    }

    /**
     * Every scan of the second test, on both engines, failed as OutOfScope with the scope the controller sent, and no
     * engine opened a capture or a raw socket for it: the global property reached the sampler on each engine.
     */
    private static void assertRefusedByTheGlobalScope(ResultsFile rows, List<Engine> engines, SocketWatch watch,
            Path dir) throws IOException {
        for (Engine engine : engines) {
            List<ResultsFile.Sample> scans = rows.samples().stream()
                    .filter(row -> row.threadName().startsWith(engine.server().address() + "-Scanners ")).toList();
            assertEquals(THREADS * LOOPS, scans.size(), "scans of " + engine.server() + " in the second test: " + scans);
            for (ResultsFile.Sample scan : scans) {
                assertEquals("OutOfScope", scan.responseCode(), scan.toString());
                assertEquals("127.0.0.1 is outside the scope " + SCOPE + " (portscan.scope); not scanned",
                        scan.responseMessage(), scan.toString());
            }
            SocketWatch.Peak peak = watch.peak(engine.server().pid());
            record(dir, engine.server() + " during the second test: " + peak);
            assertTrue(peak.readings() > 0, "the engine's sockets were read during the test: " + peak);
            assertEquals(0, peak.packet() + peak.raw(), engine.server() + " opened nothing for refused scans: " + peak);
        }
    }

    private static Map<String, String> engineProperties(int openPort, int closedPort, Path pcap) {
        return Map.of("portscan.it.open_port", String.valueOf(openPort),
                "portscan.it.closed_port", String.valueOf(closedPort),
                "portscan.it.threads", String.valueOf(THREADS),
                "portscan.it.loops", String.valueOf(LOOPS),
                "portscan.it.hold_ms", String.valueOf(HOLD_MILLIS),
                "portscan.it.pcap_file", pcap.toString());
    }

    /**
     * Each engine's threads share one pcap handle on lo and send through raw sockets while its test runs. The peaks go
     * to sockets.txt in {@code dir}.
     */
    private static void assertOneCaptureEach(List<Engine> engines, SocketWatch watch, Path dir, String test)
            throws IOException {
        for (Engine engine : engines) {
            SocketWatch.Peak peak = watch.peak(engine.server().pid());
            record(dir, engine.server() + " during the " + test + ": " + peak);
            assertEquals(1, peak.packet(), engine.server() + ": pcap handles held at once during its test: " + peak);
            assertTrue(peak.raw() >= 1, engine.server() + ": raw sockets during its test: " + peak);
        }
    }

    /** After the test the engine lives on, without capture or raw socket: the sampler's testEnded closed them. */
    private static void assertCaptureClosed(JMeterServer server, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CAPTURE_CLOSE.toNanos();
        Optional<ProcessSockets> now = ProcessSockets.of(server.pid());
        while (now.isPresent() && now.get().packet() + now.get().raw() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = ProcessSockets.of(server.pid());
        }
        assertTrue(server.isAlive() && now.isPresent(), server + " is still running after the test");
        record(dir, server + " after the first test: " + now.get());
        assertEquals(0, now.get().packet(), server + " closed its capture after the test: " + now.get());
        assertEquals(0, now.get().raw(), server + " closed its raw sockets after the test: " + now.get());
    }

    private static void record(Path dir, String line) throws IOException {
        Files.writeString(dir.resolve("sockets.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The engine ran the test, and sent its samples through JMeter's default sender, StrippedBatch. */
    private static void assertTestLogged(JMeterServer server) throws IOException {
        String console = server.console();
        assertTrue(console.contains("Starting the test on host " + server.address())
                && console.contains("Finished the test on host " + server.address()), server + ":\n" + console);
        assertTrue(server.log().contains("Using DataStrippingSampleSender for this run"), server + " log");
    }

    /**
     * "Save packets to" is written where the engine runs: each engine's file holds the probes of its own scans (its
     * open port, the shared closed port) and none of the other engine's.
     */
    private static void assertPacketsInOwnFile(Engine engine, int closedPort) {
        Map<Integer, Long> syns = synsByPort(engine.pcap());
        long scans = THREADS * LOOPS;
        assertEquals(Optional.of(scans), Optional.ofNullable(syns.get(engine.openPort())),
                "SYNs to its own open port in " + engine.pcap() + ": " + syns);
        assertEquals(Optional.of(scans), Optional.ofNullable(syns.get(closedPort)),
                "SYNs to the closed port in " + engine.pcap() + ": " + syns);
        assertEquals(2, syns.size(), "no SYN to the other engine's port in " + engine.pcap() + ": " + syns);
    }

    /** The SYN probes in a pcap file, counted by destination port (tshark reads it). */
    private static Map<Integer, Long> synsByPort(Path pcap) {
        Commands.Result result = Commands.run(Duration.ofSeconds(60), List.of("tshark", "-n", "-r", pcap.toString(),
                "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0", "-T", "fields", "-e", "tcp.dstport"));
        return result.stdout().lines().filter(line -> !line.isBlank())
                .collect(Collectors.groupingBy(line -> Integer.parseInt(line.trim()), Collectors.counting()));
    }

    /** The controller's CSV: each engine's scans, each with its two probes, and no probe row twice or astray. */
    private static void assertEveryProbeOnce(ResultsFile rows, List<Engine> engines, int closedPort) {
        assertEquals(List.of(), rows.failures(), "failed samples from the engines");
        String closedLabel = "127.0.0.1:" + closedPort + "/tcp";
        for (Engine engine : engines) {
            List<ResultsFile.Scan> scans = scansOf(rows, engine);
            assertEquals(THREADS * LOOPS, scans.size(), "one scan per thread and loop on " + engine.server());
            for (ResultsFile.Scan scan : scans) {
                assertEquals("Remote scan", scan.container().label());
                assertEquals(Map.of(engine.openLabel(), "open", closedLabel, "closed"), scan.probes().stream()
                        .collect(Collectors.toMap(ResultsFile.Sample::label, ResultsFile.Sample::responseCode)),
                        "the ports of " + engine.server() + "'s own properties");
            }
        }
        int probes = engines.size() * THREADS * LOOPS * 2;
        assertEquals(probes, rows.scans().stream().mapToInt(s -> s.probes().size()).sum());
        assertEquals(probes, rows.samples().stream().filter(ResultsFile.Sample::isProbe).count(),
                "per-port rows in the results file");
        assertEquals(engines.size() * THREADS * LOOPS, rows.samples().size() - probes, "container rows");
    }

    private static List<ResultsFile.Scan> scansOf(ResultsFile rows, Engine engine) {
        return rows.scans().stream()
                .filter(scan -> scan.container().threadName().startsWith(engine.server().address() + "-Scanners "))
                .toList();
    }

    /**
     * The dashboard's Total is the per-port rows: the containers' message keeps them out of it (the Statistics table
     * still lists them under their own label, as it lists a Transaction Controller).
     */
    private static void assertDashboardCountsProbes(Dashboard dashboard, ResultsFile rows, List<Engine> engines,
            int closedPort) throws IOException {
        Map<String, Dashboard.Row> statistics = dashboard.statistics();
        long probes = rows.samples().stream().filter(ResultsFile.Sample::isProbe).count();
        assertEquals(probes, statistics.get("Total").samples(), "dashboard total: " + statistics);
        assertEquals(0, statistics.get("Total").errors());
        long perPortRows = statistics.values().stream().filter(row -> ResultsFile.PROBE_LABEL.matcher(row.label())
                .matches()).mapToLong(Dashboard.Row::samples).sum();
        assertEquals(probes, perPortRows, "the per-port labels add up to the total: " + statistics);
        for (Engine engine : engines) {
            assertEquals(THREADS * LOOPS, statistics.get(engine.openLabel()).samples(), engine.openLabel());
        }
        assertEquals(engines.size() * THREADS * LOOPS, statistics.get("127.0.0.1:" + closedPort + "/tcp").samples());
    }

    /**
     * What the controller receives through JMeter's default sample sender: codes, messages, the X-PortScan-Port
     * header lines and the sub-samples arrive; the response data is emptied on the engine, whose byte count (of the
     * nmap text it had) still arrives.
     */
    private static void assertStrippedButComplete(XmlResults received, List<Engine> engines) {
        assertEquals(engines.size() * THREADS * LOOPS, received.samples().size(), "containers received");
        for (XmlResults.Sample container : received.samples()) {
            assertEquals("open=1 closed=1", container.code());
            assertTrue(container.message().startsWith(ResultsFile.CONTAINER_PREFIX + "2,"), container.message());
            assertEquals(2, portHeaders(container).size(), container.headers());
            assertEquals(2, container.children().size(), "sub-samples of " + container.label());
            for (XmlResults.Sample probe : container.children()) {
                List<String> header = portHeaders(probe);
                assertEquals(1, header.size(), probe.headers());
                assertTrue(probe.label().endsWith(":" + header.get(0).split(" ")[2] + "/tcp"), header.get(0));
                assertEquals(probe.code(), header.get(0).split(" ")[3]);
                assertEquals("open".equals(probe.code()) ? "syn-ack ttl 64" : "reset ttl 64", probe.message());
            }
        }
        received.all().forEach(sample -> {
            assertEquals("", sample.data(), "response data of " + sample.label() + " reached the controller");
            assertTrue(sample.bytes() > 0, "the engine's byte count of " + sample.label() + ": " + sample.bytes());
        });
    }

    private static List<String> portHeaders(XmlResults.Sample sample) {
        List<String> lines = sample.headers().lines().filter(line -> line.startsWith("X-PortScan-Port:")).toList();
        lines.forEach(line -> assertTrue(PORT_HEADER.matcher(line).matches(), line));
        return lines;
    }

    /** No process of this test runs any more: not the engines, nor anything whose command line names its folder. */
    private static void assertNothingLeft(List<Long> pids, Path dir) {
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " left");
        }
        List<String> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertEquals(List.of(), left, "processes of the distributed run still running");
    }
}
