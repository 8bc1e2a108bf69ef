package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.spec.AddressFormat;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapPort;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The acceptance command, end to end through the command line: {@code -sS -Pn -n -p-
 * --reason -oX out.xml <lab host>} must give every one of 65535 ports the state, reason and
 * reason_ttl nmap gives it, the XML must validate against nmap.dtd and ndiff must see no
 * difference. The same for connect and ACK scans over the lab's interesting ports.
 */
class CliLabTest {
    private static NetnsLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLab() {
        Privileges.requireRoot("raw packets into a network namespace");
        NetnsLab.cleanupLeftovers("ps-cli-");
        lab = NetnsLab.builder().prefix("ps-cli-").subnets("198.18.31.0/24", "2001:db8:31::/64")
                .plan(LabLayouts.standard()).start();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "{0} {1} -p {2}")
    @CsvSource({"SYN, V4, -", "SYN, V6, -", "CONNECT, V4, lab", "CONNECT, V6, lab", "ACK, V4, lab", "ACK, V6, lab"})
    void agreesWithNmapPortByPort(ScanType type, IpFamily family, String ports) throws Exception {
        InetAddress target = lab.target(family);
        String portList = ports.equals("lab") ? lab.plan().nmapPortList() : ports;
        List<String> args = new ArrayList<>(List.of(type.option(), "-Pn", "-n", "-p" + portList, "--reason"));
        if (type == ScanType.CONNECT) {
            // Connect scans learn ICMP errors from the kernel, which on a veth can report them only at
            // its own SYN retry one second later: give both tools time to hear them.
            args.addAll(List.of("--max-rtt-timeout", "1500ms", "--min-rtt-timeout", "1500ms"));
        } else {
            args.add("-T4");
        }
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        args.add(target.getHostAddress());

        Path ours = dir.resolve("ours.xml");
        List<String> ourArgs = new ArrayList<>(args);
        ourArgs.addAll(List.of("-oX", ours.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), ScanEngines.standard())
                .run(ourArgs.toArray(String[]::new));
        assertEquals(0, status, stderr.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.toString(StandardCharsets.UTF_8)
                .contains("Nmap scan report for " + AddressFormat.toNmapString(target)), stdout.toString());

        Path theirs = dir.resolve("nmap.xml");
        List<String> nmapArgs = new ArrayList<>(List.of("nmap"));
        nmapArgs.addAll(args);
        nmapArgs.addAll(List.of("-oX", theirs.toString()));
        Commands.Result nmap = Commands.runAllowingFailure(Duration.ofSeconds(120), nmapArgs);
        assertEquals(0, nmap.exitCode(), () -> "nmap ran: " + nmap.describe());
        Map<Integer, String> differences = differences(NmapXml.parse(theirs), NmapXml.parse(ours), target);
        assertEquals(Map.of(), differences, "ours vs nmap, port by port (state/reason/reason_ttl)");

        XmlValidation.assertValid(ours); // our XML validates against nmap.dtd
        // ndiff: 0 = same port states, 1 = differences, 2 = it could not read a file.
        Commands.Result ndiff = NmapRunner.ndiff(theirs, ours);
        assertEquals(0, ndiff.exitCode(), () -> "ndiff sees no differences:\n" + ndiff.stdout() + ndiff.stderr());
    }

    private static Map<Integer, String> differences(NmapRun nmap, NmapRun ours, InetAddress target) {
        NavigableMap<Integer, NmapPort> theirPorts = nmap.host(target).tcp();
        NavigableMap<Integer, NmapPort> ourPorts = ours.host(target).tcp();
        Map<Integer, String> differences = new TreeMap<>();
        for (Integer port : theirPorts.keySet()) {
            String expected = describe(theirPorts.get(port));
            String got = describe(ourPorts.get(port));
            if (!expected.equals(got)) {
                differences.put(port, "nmap " + expected + ", ours " + got);
            }
        }
        if (!ourPorts.keySet().equals(theirPorts.keySet())) {
            differences.put(-1, "scanned ports differ: ours " + ourPorts.size() + ", nmap " + theirPorts.size());
        }
        return differences;
    }

    private static String describe(NmapPort port) {
        return port == null ? "missing" : port.state() + "/" + port.reason() + "/ttl" + port.reasonTtl();
    }
}
