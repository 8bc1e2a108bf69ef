package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Raw packets without root, as README.md's "Privileges" gives it: {@code setcap cap_net_raw,cap_net_admin=eip} on the
 * java binary, run by user {@code nobody}. The binary is a copy of the running JDK in a temporary folder (the
 * system's java is never changed); the copy and the loader entry the test adds are removed afterwards. In order:
 * <ol>
 * <li>the known pitfall: with the capabilities the loader runs java in secure mode, which ignores the launcher's
 * {@code $ORIGIN} path, and java stops because it cannot find libjli.so;</li>
 * <li>README's fix, the copy's lib directory in /etc/ld.so.conf.d and ldconfig: then the command line and the
 * JMeter sampler, both as nobody, SYN-scan loopback (replies {@code syn-ack}/{@code reset} with a TTL);</li>
 * <li>the same copy with its capabilities removed: the same user gets a connect scan, and the output says so.</li>
 * </ol>
 * Then, as root, {@code -Dorg.pcap4j.core.pcapLibName} where only libpcap.so.0.8 exists: a private mount namespace
 * whose library directory is an overlay that hides libpcap.so (the link libpcap-dev adds).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JavaCapabilitiesIT {

    private static final String USER = "nobody";
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final String CAPABILITIES = "cap_net_raw,cap_net_admin=eip";
    private static final String NO_RAW_ACCESS = "Using a TCP connect scan (-sT) instead of a SYN scan.";

    private static Path dir;
    private static Path jdk;
    private static Path jar;
    /** The loader configuration entry while it exists. */
    private static Path loaderEntry;
    private static ServerSocket listener;
    private static int closedPort;

    @BeforeAll
    static void copyTheJdkAndGiveItsJavaTheCapabilities() throws IOException {
        Privileges.requireRoot("setcap, ldconfig, mount namespaces and switching to user nobody need root");
        Privileges.require(Commands.installed("setcap"), "setcap is not installed (Debian: libcap2-bin)");
        dir = Files.createTempDirectory("portscan-caps", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        jdk = dir.resolve("jdk");
        Files.createDirectory(jdk);
        Path home = Path.of(System.getProperty("java.home"));
        // bin, conf and lib are the runtime; cp -a keeps the modes, so nobody can read and run the copy
        Commands.run(RUN, "cp", "-a", home.resolve("bin").toString(), home.resolve("conf").toString(),
                home.resolve("lib").toString(), jdk.toString());
        Commands.run(RUN, "setcap", CAPABILITIES, java().toString());
        assertTrue(Commands.run(RUN, "getcap", java().toString()).stdout().contains("cap_net_admin,cap_net_raw=eip"),
                "the copy's java has the capabilities");

        jar = dir.resolve("portscan.jar");
        Files.copy(ItPaths.projectDir().resolve("target/portscan.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = closed.getLocalPort();
        }
    }

    @AfterAll
    static void removeTheCopyAndTheLoaderEntry() throws IOException {
        if (listener != null) {
            listener.close();
        }
        removeLoaderEntry();
        if (dir != null) {
            Commands.run(RUN, "rm", "-rf", "--one-file-system", dir.toString());
        }
    }

    @Test
    @Order(1)
    void withTheCapabilitiesJavaCannotFindLibjli() {
        Commands.Result version = asNobody(List.of(java().toString(), "-version"));
        assertNotEquals(0, version.exitCode(), version.stdout() + version.stderr());
        assertTrue(version.stderr().contains(
                "error while loading shared libraries: libjli.so: cannot open shared object file"), version.stderr()
                + (Commands.run(RUN, "ldconfig", "-p").stdout().contains("libjli.so") ? " (a libjli.so is in the"
                        + " loader's cache already, from an /etc/ld.so.conf.d entry: this machine has the fix)" : ""));
    }

    @Test
    @Order(2)
    void withTheJdksLibDirectoryInTheLoadersCacheNobodySynScans() throws Exception {
        // README: echo "$jdk/lib" > /etc/ld.so.conf.d/java.conf; ldconfig (here a name of the test's own)
        loaderEntry = Path.of("/etc/ld.so.conf.d", "zz-portscan-it-" + ProcessHandle.current().pid() + ".conf");
        Files.writeString(loaderEntry, jdk.resolve("lib") + "\n");
        try {
            Commands.run(RUN, "ldconfig");
            synScansAsNobody();
        } finally {
            removeLoaderEntry();
        }
    }

    private static void synScansAsNobody() throws Exception {
        Commands.Result scan = scanAsNobody("-sS", "-n", "-Pn", "--reason", "-p", ports(), "127.0.0.1");
        assertEquals(0, scan.exitCode(), scan.stdout() + scan.stderr());
        assertTrue(scan.stdout().matches("(?s).*\n" + listener.getLocalPort() + "/tcp +open .* syn-ack ttl 64\n.*"),
                scan.stdout());
        assertTrue(scan.stdout().matches("(?s).*\n" + closedPort + "/tcp +closed .* reset ttl 64\n.*"), scan.stdout());
        assertFalse(scan.stdout().contains("conn-refused"), scan.stdout());

        sampleAsNobodyWithTheCopy();
    }

    @Test
    @Order(3)
    void withoutTheCapabilitiesTheSameUserGetsAConnectScanAndIsTold() {
        Commands.run(RUN, "setcap", "-r", java().toString());
        Commands.Result scan = scanAsNobody("-n", "-Pn", "--reason", "-p", ports(), "127.0.0.1");
        assertEquals(0, scan.exitCode(), scan.stdout() + scan.stderr());
        assertTrue(scan.stdout().contains("Raw packet access is not available: raw packet scanning needs root or the"
                + " CAP_NET_RAW capability"), scan.stdout());
        assertTrue(scan.stdout().contains(NO_RAW_ACCESS), scan.stdout());
        assertTrue(scan.stdout().matches("(?s).*\n" + listener.getLocalPort() + "/tcp +open .* syn-ack\n.*"),
                scan.stdout());
        assertTrue(scan.stdout().matches("(?s).*\n" + closedPort + "/tcp +closed .* conn-refused\n.*"), scan.stdout());
    }

    /**
     * Only libpcap.so.0.8 (the runtime package's name): an overlay in a private mount namespace hides libpcap.so in
     * the directory that holds libpcap.so.0.8. The property pointing at libpcap.so.0.8 gives a SYN scan; pointing
     * at the hidden name it gives nothing to load (so the property is what decides), and without it JNA finds the
     * versioned file by itself.
     */
    @Test
    @Order(4)
    void pcapLibNameNamesALibpcapThatIsOnlyThereAsSo08() throws IOException {
        Path libDir = libpcapDirectory();
        Path whiteouts = Files.createTempDirectory("portscan-no-libpcap-so");
        try {
            // an overlay layer with a character device 0/0 named libpcap.so hides that name in the layers below
            Commands.run(RUN, "mknod", whiteouts.resolve("libpcap.so").toString(), "c", "0", "0");
            Path so08 = libDir.resolve("libpcap.so.0.8");
            Commands.Result named = scanWithoutLibpcapSo(libDir, whiteouts, so08.toString(), "-sS");
            assertEquals(0, named.exitCode(), named.stdout() + named.stderr());
            assertTrue(named.stdout().contains("syn-ack ttl 64"), named.stdout());
            assertTrue(named.stdout().contains("reset ttl 64"), named.stdout());

            Commands.Result hidden = scanWithoutLibpcapSo(libDir, whiteouts, libDir.resolve("libpcap.so").toString());
            assertEquals(0, hidden.exitCode(), hidden.stdout() + hidden.stderr());
            assertTrue(hidden.stdout().contains("raw packet scanning needs libpcap, which could not be loaded"),
                    hidden.stdout());
            assertTrue(hidden.stdout().contains("-Dorg.pcap4j.core.pcapLibName="), hidden.stdout());
            assertTrue(hidden.stdout().contains(NO_RAW_ACCESS), hidden.stdout());

            Commands.Result found = scanWithoutLibpcapSo(libDir, whiteouts, null, "-sS");
            assertEquals(0, found.exitCode(), found.stdout() + found.stderr());
            assertTrue(found.stdout().contains("reset ttl 64"), found.stdout());
        } finally {
            Commands.run(RUN, "rm", "-rf", whiteouts.toString());
        }
    }

    /** The JMeter sampler as nobody on the copy's java: the reachability gate SYN-scans its service ports. */
    private static void sampleAsNobodyWithTheCopy() throws Exception {
        AssembledJMeter jmeter = AssembledJMeter.locate();
        Path out = ItPaths.emptyDir(ItPaths.outputDir().resolve("capabilities"));
        UserPrincipal nobody = out.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        Files.setOwner(out, nobody);
        Path plan = Files.copy(ItPaths.projectDir().resolve("jmx-examples/reachability-gate.jmx"),
                out.resolve("reachability-gate.jmx"));
        Path results = out.resolve("results.xml");
        ProcessBuilder run = jmeter.process(List.of("-Djava.awt.headless=true"),
                List.of("-n", "-t", plan.toString(), "-l", results.toString(), "-j", out.resolve("jmeter.log").toString()),
                Map.of("portscan.example.duration_s", "1",
                        "jmeter.save.saveservice.output_format", "xml",
                        "jmeter.save.saveservice.response_data", "true"));
        List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        command.addAll(run.command());
        command.set(4, java().toString());
        Path console = out.resolve("console.txt");
        Process process = Commands.start(new ProcessBuilder(command).directory(run.directory())
                .redirectErrorStream(true).redirectOutput(console.toFile()));
        try {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "JMeter did not finish; see " + console);
        } finally {
            Commands.stop(process);
        }
        assertEquals(0, process.exitValue(), Files.readString(console, StandardCharsets.UTF_8));
        assertEquals(USER, Files.getOwner(results).getName(), "JMeter ran as nobody");
        XmlResults.Sample gate = XmlResults.read(results).all()
                .filter(s -> s.label().equals("Gate: service ports open")).findFirst()
                .orElseThrow(() -> new AssertionError("no gate sample; log: " + out.resolve("jmeter.log")));
        assertTrue(gate.success(), gate.toString());
        assertTrue(gate.data().contains("Scan type: SYN Stealth Scan (-sS)\n"), gate.data());
        assertFalse(gate.data().contains(NO_RAW_ACCESS), gate.data());
        assertEquals(2, gate.children().size(), gate.children().toString());
        for (XmlResults.Sample probe : gate.children()) {
            assertEquals("open", probe.code(), probe.toString());
            assertTrue(probe.message().matches("syn-ack ttl \\d+"), "a reply packet's TTL: " + probe);
        }
    }

    private static Commands.Result scanWithoutLibpcapSo(Path libDir, Path whiteouts, String pcapLibName,
            String... options) {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", "mount -t overlay overlay -o \"lowerdir=$1:$2\" \"$2\" && test ! -e \"$2/libpcap.so\""
                        + " && test -e \"$2/libpcap.so.0.8\" && shift 2 && exec \"$@\"",
                "sh", whiteouts.toString(), libDir.toString(), Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString()));
        if (pcapLibName != null) {
            command.add("-Dorg.pcap4j.core.pcapLibName=" + pcapLibName);
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-n", "-Pn", "--reason", "-p", ports(), "127.0.0.1"));
        return Commands.runAllowingFailure(RUN, command);
    }

    /** The directory that holds libpcap.so.0.8, from the loader's cache (ldconfig -p). */
    private static Path libpcapDirectory() throws IOException {
        for (String line : Commands.run(RUN, "ldconfig", "-p").stdout().split("\n")) {
            String entry = line.strip();
            if (entry.startsWith("libpcap.so.0.8 ") && entry.contains("=> ")) {
                return Path.of(entry.substring(entry.indexOf("=> ") + 3)).toRealPath().getParent();
            }
        }
        throw new AssertionError("libpcap.so.0.8 is not in the loader's cache: install libpcap0.8");
    }

    private static Commands.Result scanAsNobody(String... options) {
        List<String> command = new ArrayList<>(List.of(java().toString(), "-jar", jar.toString()));
        command.addAll(List.of(options));
        return asNobody(command);
    }

    private static Commands.Result asNobody(List<String> command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        full.addAll(command);
        return Commands.runAllowingFailure(RUN, full);
    }

    private static void removeLoaderEntry() throws IOException {
        if (loaderEntry != null && Files.deleteIfExists(loaderEntry)) {
            Commands.run(RUN, "ldconfig");
        }
        loaderEntry = null;
    }

    private static Path java() {
        return jdk.resolve("bin/java");
    }

    private static String ports() {
        return listener.getLocalPort() + "," + closedPort;
    }
}
