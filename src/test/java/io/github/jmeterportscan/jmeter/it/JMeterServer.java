package io.github.jmeterportscan.jmeter.it;

import io.github.jmeterportscan.testsupport.Commands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code jmeter-server} engine ({@code -s}) of the assembled JMeter on the loopback. Several engines share a host
 * when each has its own RMI registry port ({@code server_port}) and object port ({@code server.rmi.localport});
 * {@code java.rmi.server.hostname=127.0.0.1} makes the stubs it hands out name the loopback, and RMI over SSL is off
 * (no keystore). Its console and jmeter-server log go to {@code dir}.
 */
final class JMeterServer implements AutoCloseable {
    /** JVM option of every process of a loopback distributed run, engines and controller alike. */
    static final String LOOPBACK_RMI = "-Djava.rmi.server.hostname=127.0.0.1";
    /** JMeter properties of every process of such a run. */
    static final Map<String, String> NO_RMI_SSL = Map.of("server.rmi.ssl.disable", "true");

    private final Process process;
    private final int registryPort;
    private final Path console;
    private final Path log;

    private JMeterServer(Process process, int registryPort, Path console, Path log) {
        this.process = process;
        this.registryPort = registryPort;
        this.console = console;
        this.log = log;
    }

    /**
     * Starts an engine on free ports with {@code engineProperties} as {@code -J} properties (they are this engine's
     * own: the plan's {@code __P} functions in thread groups run on the engine). Call {@link #awaitReady} next.
     */
    static JMeterServer start(AssembledJMeter jmeter, Path dir, Map<String, String> engineProperties)
            throws IOException {
        Files.createDirectories(dir);
        int registryPort = freeLoopbackPort();
        Map<String, String> properties = new HashMap<>(engineProperties);
        properties.putAll(NO_RMI_SSL);
        properties.put("server_port", String.valueOf(registryPort));
        properties.put("server.rmi.localport", String.valueOf(freeLoopbackPort()));
        Path console = dir.resolve("console.txt");
        Path log = dir.resolve("jmeter-server.log");
        Process process = Commands.start(jmeter.process(List.of(LOOPBACK_RMI, "-Djava.awt.headless=true"), List.of("-s", "-j", log.toString()), properties)
                .redirectErrorStream(true).redirectOutput(console.toFile()));
        return new JMeterServer(process, registryPort, console, log);
    }

    /** Waits until the engine has exported its remote object, which is when a controller can reach it. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (console().contains("Created remote object")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("jmeter-server " + address() + " exited (" + process.exitValue()
                        + ") before it was ready:\n" + console());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("jmeter-server " + address() + " not ready within " + timeout + ":\n" + console());
    }

    /** {@code 127.0.0.1:<registry port>}: how {@code -R} names it, and the prefix of its threads' names. */
    String address() {
        return "127.0.0.1:" + registryPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether it exits within {@code timeout} by itself ({@code -X} on the controller asks it to). */
    boolean exitsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String console() throws IOException {
        return Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Ends the engine by its process id (politely first), whatever state it is in. */
    @Override
    public void close() {
        Commands.stop(process);
    }

    @Override
    public String toString() {
        return "jmeter-server " + address() + " (pid " + pid() + ")";
    }

    /** A loopback port nothing listens on right now (bound, then released). */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
