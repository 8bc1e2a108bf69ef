package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code target/portscan.jar} on its own: {@code java -jar} with nothing else on the
 * class path, as root (SYN scan) and as an unprivileged user (automatic connect scan, said in the
 * output), with no logging noise and with clear errors for bad input.
 */
class PortscanJarIT {
    private static final Path BUILT_ARCHIVE = Path.of("target", "portscan.jsa");
    private static Path jar;
    private static Path launcher;
    private static ServerSocket listener;

    @BeforeAll
    static void copyJarWhereAnyoneCanRunIt() throws IOException {
        Path built = Path.of("target", "portscan.jar");
        assertTrue(Files.isRegularFile(built), "run after 'package': " + built.toAbsolutePath());
        Path dir = Files.createTempDirectory("portscan-jar", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        jar = dir.resolve("portscan.jar");
        Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Path builtLauncher = Path.of("target", "portscan");
        assertTrue(Files.isExecutable(builtLauncher), "the package phase puts an executable launcher next to the jar");
        launcher = dir.resolve("portscan");
        Files.copy(builtLauncher, launcher, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        // The class-data archive comes along, though it only fits the jar in target/: see below.
        Files.copy(BUILT_ARCHIVE, dir.resolve("portscan.jsa"), StandardCopyOption.REPLACE_EXISTING);
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    private static String ports() {
        int open = listener.getLocalPort();
        return open + "," + (open == 65535 ? open - 1 : open + 1);
    }

    @Test
    void synScanAsRootPrintsTheReportAndNothingElse() throws Exception {
        Privileges.requireRoot("a SYN scan needs raw sockets");
        Commands.Result result = run(List.of(), "-sS", "-n", "-Pn", "--reason", "-p", ports(), "127.0.0.1");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr(), "no logging noise on stderr");
        assertTrue(result.stdout().contains(listener.getLocalPort() + "/tcp open"), result.stdout());
        assertTrue(result.stdout().contains("syn-ack ttl 64"), result.stdout());
        assertTrue(result.stdout().contains("reset ttl 64"), result.stdout());
    }

    @Test
    void withoutPrivilegesTheScanFallsBackToConnectAndSaysSo() throws Exception {
        Privileges.requireRoot("switching to an unprivileged user needs root");
        Commands.Result result = run(List.of("runuser", "-u", "nobody", "--"), "-n", "-Pn", "--reason", "-p", ports(),
                "127.0.0.1");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().contains("Using a TCP connect scan (-sT) instead of a SYN scan"), result.stdout());
        assertTrue(result.stdout().contains(listener.getLocalPort() + "/tcp open"), result.stdout());
        assertTrue(result.stdout().contains("conn-refused"), result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void anExplicitSynScanWithoutPrivilegesStopsWithNmapsMessage() throws Exception {
        Privileges.requireRoot("switching to an unprivileged user needs root");
        Commands.Result result = run(List.of("runuser", "-u", "nobody", "--"), "-sS", "-p", ports(), "127.0.0.1");
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().startsWith("You requested a scan type which requires root privileges"), result.stderr());
        assertTrue(result.stderr().contains("QUITTING!"), result.stderr());
        assertFalse(result.stdout().contains("Starting"), "stops before it starts: " + result.stdout());
    }

    @Test
    void badInputGetsAMessageNotAStackTrace() throws Exception {
        Commands.Result badPorts = run(List.of(), "-p", "70000", "127.0.0.1");
        assertEquals(1, badPorts.exitCode());
        assertEquals("Ports specified must be between 0 and 65535 inclusive\nQUITTING!\n", badPorts.stderr());

        Commands.Result badOption = run(List.of(), "--no-such-option", "127.0.0.1");
        assertEquals(1, badOption.exitCode());
        assertTrue(badOption.stderr().contains("See the output of nmap -h for a summary of options."), badOption.stderr());

        Commands.Result badInterface = run(List.of(), "-sS", "-e", "no-such-if0", "-p", "80", "127.0.0.1");
        assertEquals(1, badInterface.exitCode());
        assertTrue(badInterface.stderr().contains("no-such-if0"), badInterface.stderr());
        for (Commands.Result result : List.of(badPorts, badOption, badInterface)) {
            assertFalse(result.stderr().contains("Exception") || result.stderr().contains("\tat "), result.stderr());
        }
    }

    /** The launcher runs the jar beside it with C1 only, and adds PORTSCAN_JAVA_OPTS after its own. */
    @Test
    void theLauncherRunsTheJarBesideItWithItsJvmOptions() throws Exception {
        Privileges.requireRoot("a SYN scan needs raw sockets");
        Commands.Result scan = Commands.runAllowingFailure(Duration.ofSeconds(60), List.of(launcher.toString(),
                "-sS", "-n", "-Pn", "-p", ports(), "127.0.0.1"));
        assertEquals(0, scan.exitCode(), scan.stderr());
        assertTrue(scan.stdout().contains(listener.getLocalPort() + "/tcp open"), scan.stdout());

        Commands.Result flags = Commands.runAllowingFailure(Duration.ofSeconds(60), List.of("env",
                "PORTSCAN_JAVA_OPTS=-XX:+PrintFlagsFinal -Dignored=1", launcher.toString(), "-V"));
        assertEquals(0, flags.exitCode(), flags.stderr());
        assertTrue(flags.stdout().matches("(?s).*intx TieredStopAtLevel\\s+= 1 .*"), "C1 only");
        assertTrue(flags.stdout().contains("portscan version "), "the jar ran");
    }

    /**
     * The build leaves a class-data archive beside the jar and the launcher uses it (-Xshare:on
     * makes the JVM refuse to start when it cannot); a copy of the three elsewhere, where the
     * archive does not fit the jar, still runs, with nothing from the JVM on stdout or stderr.
     */
    @Test
    void theLauncherUsesTheBuildsClassDataArchiveAndIgnoresOneThatDoesNotFit() throws Exception {
        assertTrue(Files.isRegularFile(BUILT_ARCHIVE), "the package phase makes " + BUILT_ARCHIVE);
        Commands.Result inPlace = Commands.runAllowingFailure(Duration.ofSeconds(60), List.of("env",
                "PORTSCAN_JAVA_OPTS=-Xshare:on", Path.of("target", "portscan").toString(), "-V"));
        assertEquals(0, inPlace.exitCode(), inPlace.stdout() + inPlace.stderr());
        assertTrue(inPlace.stdout().startsWith("portscan version "), inPlace.stdout());

        Commands.Result moved = Commands.runAllowingFailure(Duration.ofSeconds(60), List.of(launcher.toString(),
                "-n", "-Pn", "-sT", "-p", ports(), "127.0.0.1"));
        assertEquals(0, moved.exitCode(), moved.stderr());
        assertEquals("", moved.stderr());
        assertTrue(moved.stdout().startsWith("Starting portscan "), moved.stdout());
        assertFalse(moved.stdout().contains("warning"), moved.stdout());
    }

    private static Commands.Result run(List<String> prefix, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + Path.of("src/test/resources/hosts").toAbsolutePath(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return Commands.runAllowingFailure(Duration.ofSeconds(60), command);
    }
}
