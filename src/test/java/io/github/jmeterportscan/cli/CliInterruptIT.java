package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.AddressFormat;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapHost;
import io.github.jmeterportscan.testsupport.NmapPort;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A signal in the middle of a scan, sent to the built launcher's java process as a user's Ctrl-C
 * or a service manager's stop would send it: the process is gone within a second with nmap's
 * status (128 + the signal), and -oX, -oN, -oG and stdout are complete documents holding every
 * port decided before the signal and saying that the scan was interrupted (the XML valid against
 * nmap.dtd). In the lab, ports 1-99 answer at once (22 and 80 open, the others closed) and every
 * higher port drops its probes, so a scan of them in order has decided exactly 1-99 after a moment
 * and then waits on the rest.
 */
class CliInterruptIT {
    private static final Path LAUNCHER = Path.of("target", "portscan");
    private static final String PREFIX = "ps-int-";
    private static final int ANSWERING = 99;
    private static final long EXIT_WITHIN_MILLIS = 1_000;

    @TempDir
    Path dir;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(PREFIX, () -> NetnsLab.builder()
            .subnets("198.18.70.0/24", "2001:db8:70::/64")
            .plan(LabPortPlan.builder().open(22, 80).range(ANSWERING + 1, 65535, PortBehavior.DROP).build()));

    @BeforeAll
    static void requireLauncher() {
        assertTrue(Files.isExecutable(LAUNCHER), "run after 'package': " + LAUNCHER.toAbsolutePath());
    }

    @ParameterizedTest(name = "SIG{0} during {1} -p- of {2}")
    @CsvSource({"INT, SYN, V4, 130", "TERM, CONNECT, V6, 143", "INT, CONNECT, V4, 130", "TERM, SYN, V6, 143"})
    void aSignalLeavesCompleteOutputsWithThePortsDecidedSoFar(String signal, ScanType type, IpFamily family,
            int status) throws Exception {
        String target = AddressFormat.toNmapString(LAB.lab().target(family));
        List<String> args = new ArrayList<>(List.of(type.option(), "-Pn", "-n", "-r", "-p-", "--max-rate", "500"));
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        args.add(target);
        Outputs out = new Outputs(dir);
        Process scan = out.start(args);
        try {
            out.await(scan, text -> text.contains("<scaninfo "), "the XML header");
            // At 500 probes a second, ports 1-99 are decided within a fifth of a second.
            Thread.sleep(1_500);
            out.signal(scan, signal, status);
        } finally {
            scan.destroyForcibly();
        }

        NmapRun run = out.validXml();
        assertEquals("error", run.exit());
        assertEquals("Scan interrupted by SIG" + signal + " before it finished", run.errorMsg());
        NmapHost host = run.onlyHost();
        assertEquals(expectedPorts(), states(host), "every port decided before the signal, and only those");
        String reason = type == ScanType.CONNECT ? "conn-refused" : "reset";
        String cut = "Scan interrupted with " + ANSWERING + " of 65535 ports decided";

        String normal = out.read(".nmap");
        assertTrue(normal.contains("\n" + cut + "; the others are not listed.\n"), normal);
        assertTrue(normal.contains("Not shown: 97 closed tcp ports (" + reason + ")\n"), normal);
        assertTrue(normal.contains("\n22/tcp open  ssh\n80/tcp open  http\n"), normal);
        assertLastLine(normal, "# Nmap interrupted at .+ by SIG" + signal
                + " -- 1 IP address \\(1 host up\\) scanned in \\d+\\.\\d\\d seconds \\(1 host incomplete\\)");
        String grepable = out.read(".gnmap");
        assertTrue(grepable.contains("\tPorts: 22/open/tcp//ssh///, 80/open/tcp//http///\tIgnored State: closed (97)\n"),
                grepable);
        assertTrue(grepable.contains("\n# " + target + ": " + cut + "\n"), grepable);
        assertLastLine(grepable, "# Nmap interrupted at .+ by SIG" + signal
                + " -- 1 IP address \\(1 host up\\) scanned in \\d+\\.\\d\\d seconds \\(1 host incomplete\\)");
        String stdout = out.read(".stdout");
        assertTrue(stdout.startsWith("Starting portscan "), stdout);
        assertTrue(stdout.contains("\n" + cut + "; the others are not listed.\n"), stdout);
        assertTrue(stdout.contains("\n22/tcp open  ssh\n80/tcp open  http\n"), stdout);
        assertLastLine(stdout, "Nmap interrupted by SIG" + signal
                + ": 1 IP address \\(1 host up\\) scanned in \\d+\\.\\d\\d seconds \\(1 host incomplete\\)");
        assertEquals("", out.read(".stderr"));
    }

    /**
     * Two hosts: 127.0.0.1 answers every port and is done (and on disk) long before the signal;
     * the lab host waits five seconds for each dropped port. The file holds the first as finished
     * and the second with the ports it had decided.
     */
    @Test
    void aHostDoneBeforeTheSignalIsWrittenWholeAndTheOtherAsFarAsItGot() throws Exception {
        String target = LAB.lab().target(IpFamily.V4).getHostAddress();
        Outputs out = new Outputs(dir);
        Process scan = out.start(List.of("-sS", "-Pn", "-n", "-p", "1-200", "--min-rtt-timeout", "5s",
                "--initial-rtt-timeout", "5s", "--max-rtt-timeout", "5s", "127.0.0.1", target));
        try {
            String before = out.await(scan, text -> text.contains("<address addr=\"127.0.0.1\""), "127.0.0.1's host");
            assertFalse(before.contains("<address addr=\"" + target + "\""), "the lab host is not done: " + before);
            assertTrue(out.read(".nmap").contains("Nmap scan report for 127.0.0.1\n"), "-oN is as far");
            out.signal(scan, "INT", 130);
        } finally {
            scan.destroyForcibly();
        }

        NmapRun run = out.validXml();
        assertEquals("Scan interrupted by SIGINT before it finished", run.errorMsg());
        assertEquals(List.of("127.0.0.1", target), run.hosts().stream().map(NmapHost::address).toList());
        assertEquals(200, run.host("127.0.0.1").tcp().size(), "the finished host whole");
        assertEquals(expectedPorts(), states(run.host(target)), "the other with the ports it had decided");
        String xml = out.read(".xml");
        assertEquals(1, xml.split("comment=\"Scan interrupted", -1).length - 1, xml);
        assertTrue(xml.contains("comment=\"Scan interrupted with " + ANSWERING + " of 200 ports decided\""), xml);
        Commands.Result ndiff = NmapRunner.ndiff(out.file(".xml"), out.file(".xml"));
        assertEquals(0, ndiff.exitCode(), () -> "ndiff reads it: " + ndiff.stdout() + ndiff.stderr());

        String normal = out.read(".nmap");
        assertTrue(normal.indexOf("report for 127.0.0.1\n") < normal.indexOf("report for " + target + "\n"), normal);
        assertEquals(1, normal.split("Scan interrupted with", -1).length - 1, normal);
        assertLastLine(normal, "# Nmap interrupted at .+ by SIGINT -- 2 IP addresses \\(2 hosts up\\) scanned in "
                + "\\d+\\.\\d\\d seconds \\(1 host incomplete\\)");
        assertLastLine(out.read(".gnmap"), "# Nmap interrupted at .+ by SIGINT -- 2 IP addresses \\(2 hosts up\\) "
                + "scanned in \\d+\\.\\d\\d seconds \\(1 host incomplete\\)");
        assertLastLine(out.read(".stdout"), "Nmap interrupted by SIGINT: 2 IP addresses \\(2 hosts up\\) scanned in "
                + "\\d+\\.\\d\\d seconds \\(1 host incomplete\\)");
    }

    private static Map<Integer, PortState> expectedPorts() {
        Map<Integer, PortState> expected = new TreeMap<>();
        for (int port = 1; port <= ANSWERING; port++) {
            expected.put(port, port == 22 || port == 80 ? PortState.OPEN : PortState.CLOSED);
        }
        return expected;
    }

    private static Map<Integer, PortState> states(NmapHost host) {
        Map<Integer, PortState> states = new TreeMap<>();
        host.tcp().forEach((port, result) -> states.put(port, result.state()));
        return states;
    }

    private static void assertLastLine(String text, String regex) {
        assertTrue(text.endsWith("\n"), "ends with a whole line: " + text);
        String[] lines = text.split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches(regex), "last line: " + last + "\nexpected: " + regex);
    }

    /** One run of the launcher: its -oX/-oN/-oG files, stdout and stderr under one base name. */
    private static final class Outputs {
        private final Path base;

        Outputs(Path dir) {
            this.base = dir.resolve("scan");
        }

        Path file(String suffix) {
            return Path.of(base + suffix);
        }

        String read(String suffix) throws IOException {
            return Files.readString(file(suffix), StandardCharsets.UTF_8);
        }

        /**
         * Starts the launcher with every output. Signals a test JVM may have inherited as ignored
         * (a background job of a non-interactive shell ignores SIGINT) get their default back.
         */
        Process start(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM",
                    LAUNCHER.toAbsolutePath().toString()));
            command.addAll(args);
            command.addAll(List.of("-oX", file(".xml").toString(), "-oN", file(".nmap").toString(),
                    "-oG", file(".gnmap").toString()));
            return Commands.start(new ProcessBuilder(command).redirectOutput(file(".stdout").toFile())
                    .redirectError(file(".stderr").toFile()));
        }

        /** Waits until the XML file, as on disk now, shows {@code what}; returns its text then. */
        String await(Process scan, Predicate<String> condition, String what) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                if (!scan.isAlive()) {
                    fail("the scan ended (" + scan.exitValue() + ") before " + what + " was written: "
                            + read(".stderr") + read(".stdout"));
                }
                try {
                    String text = read(".xml");
                    if (condition.test(text)) {
                        return text;
                    }
                } catch (NoSuchFileException notYet) {
                    // the launcher has not opened it yet
                }
                Thread.sleep(20);
            }
            fail(what + " was not written within 20 s: " + read(".stderr"));
            return null;
        }

        /** Sends SIG{@code signal} to the java process and checks that it is gone in time, with {@code status}. */
        void signal(Process scan, String signal, int status) throws Exception {
            assertTrue(scan.isAlive(), "still scanning when the signal comes");
            Commands.run(Duration.ofSeconds(5), "kill", "-s", signal, Long.toString(scan.pid()));
            long sent = System.nanoTime();
            assertTrue(scan.waitFor(5, TimeUnit.SECONDS), "the process ended after SIG" + signal);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(tookMillis < EXIT_WITHIN_MILLIS, "exited " + tookMillis + " ms after SIG" + signal);
            assertEquals(status, scan.exitValue(), () -> "exit status; stderr: " + readQuietly(".stderr"));
        }

        NmapRun validXml() {
            XmlValidation.assertValid(file(".xml"));
            return NmapXml.parse(file(".xml"));
        }

        private String readQuietly(String suffix) {
            try {
                return read(suffix);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
