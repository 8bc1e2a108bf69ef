package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * JMeter's distributed mode: a jmeter-server (the assembled JMeter with {@code -s}) on the loopback runs a plan with
 * the Port Scan sampler for a client started with {@code -R}. The remote engine scans (its rows carry its
 * {@code host:port-} thread-name prefix), its per-port rows reach the client's results file, and {@code -X} ends the
 * server after the test. Everything stays on 127.0.0.1: both JVMs get {@code java.rmi.server.hostname=127.0.0.1},
 * RMI over SSL is off (no keystore), and the registry and object ports are free ports picked here.
 */
class DistributedModeIT {

    private static final Duration SERVER_START = Duration.ofSeconds(60);
    private static final Duration CLIENT_RUN = Duration.ofMinutes(2);
    private static final int THREADS = 2;
    private static final int LOOPS = 2;
    private static final List<String> JVM = List.of("-Djava.rmi.server.hostname=127.0.0.1", "-Djava.awt.headless=true");

    @Test
    void aRemoteEngineRunsThePortScanAndReportsPerPortRows() throws Exception {
        AssembledJMeter jmeter = AssembledJMeter.locate();
        Path dir = ItPaths.outputDir().resolve("distributed");
        if (Files.exists(dir)) {
            try (var old = Files.list(dir)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(dir);
        Path plan = ItPaths.projectDir().resolve("src/test/jmeter/distributed/remote-port-scan.jmx");
        Path serverOut = dir.resolve("server-console.txt");
        Path clientOut = dir.resolve("client-console.txt");
        Path results = dir.resolve("results.csv");

        int closedPort = freePort();
        int serverPort = freePort();
        int objectPort = freePort();
        Process server = null;
        Process client = null;
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> acceptUntilClosed(open), "distributed-it-listener");
            acceptor.setDaemon(true);
            acceptor.start();

            server = jmeter.process(JVM, List.of("-s", "-j", dir.resolve("server.log").toString()), Map.of(
                    "server.rmi.ssl.disable", "true",
                    "server_port", String.valueOf(serverPort),
                    "server.rmi.localport", String.valueOf(objectPort),
                    // the plan's __P functions run on the server, so its properties are given there
                    "portscan.it.open_port", String.valueOf(open.getLocalPort()),
                    "portscan.it.closed_port", String.valueOf(closedPort),
                    "portscan.it.threads", String.valueOf(THREADS),
                    "portscan.it.loops", String.valueOf(LOOPS)))
                    .redirectErrorStream(true).redirectOutput(serverOut.toFile()).start();
            awaitOutput(server, serverOut, "Created remote object", SERVER_START);

            String remote = "127.0.0.1:" + serverPort;
            client = jmeter.process(JVM, List.of("-n", "-t", plan.toString(), "-R", remote, "-X",
                    "-l", results.toString(), "-j", dir.resolve("client.log").toString()),
                    Map.of("server.rmi.ssl.disable", "true"))
                    .redirectErrorStream(true).redirectOutput(clientOut.toFile()).start();
            if (!client.waitFor(CLIENT_RUN.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the client did not finish within " + CLIENT_RUN + "; see " + clientOut + " and " + serverOut);
            }
            assertEquals(0, client.exitValue(), "client failed:\n" + Files.readString(clientOut));
            // -X: the client tells the server to exit once the test is over
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not exit after -X; see " + serverOut);

            String serverConsole = Files.readString(serverOut, StandardCharsets.UTF_8);
            assertTrue(serverConsole.contains("Starting the test on host " + remote)
                    && serverConsole.contains("Finished the test on host " + remote), serverConsole);

            ResultsFile rows = ResultsFile.read(results);
            assertEquals(List.of(), rows.failures(), "failed samples from the remote engine");
            List<ResultsFile.Scan> scans = rows.scans();
            assertEquals(THREADS * LOOPS, scans.size(), "one scan per thread and loop: " + rows.samples());
            String openLabel = "127.0.0.1:" + open.getLocalPort() + "/tcp";
            String closedLabel = "127.0.0.1:" + closedPort + "/tcp";
            for (ResultsFile.Scan scan : scans) {
                assertEquals("Remote scan", scan.container().label());
                assertTrue(scan.container().threadName().startsWith(remote + "-Scanners "),
                        "a thread of the remote engine: " + scan.container().threadName());
                // the probes come in port order
                assertEquals(Set.of(openLabel + " open", closedLabel + " closed"), scan.probes().stream()
                        .map(p -> p.label() + " " + p.responseCode()).collect(Collectors.toSet()));
                assertEquals(2, scan.probes().size());
            }
        } finally {
            Processes.stop(client);
            Processes.stop(server);
        }
    }

    private static void acceptUntilClosed(ServerSocket socket) {
        while (!socket.isClosed()) {
            try (Socket ignored = socket.accept()) {
                // a connect scan completes the handshake; nothing to say
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A loopback port nothing listens on right now (bound, then released). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static void awaitOutput(Process process, Path output, String text, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(output) && Files.readString(output, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                fail("jmeter-server exited (" + process.exitValue() + ") before it was ready:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
        fail("jmeter-server not ready within " + timeout + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
    }
}
