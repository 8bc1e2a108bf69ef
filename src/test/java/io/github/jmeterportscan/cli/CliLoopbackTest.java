package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.NmapPort;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The acceptance command on loopback: ours and nmap's -sS -p- of 127.0.0.1 and ::1 agree. */
class CliLoopbackTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void fullSynScanAgreesWithNmap(String literal) throws Exception {
        Privileges.requireRoot("raw SYN scan of loopback");
        InetAddress address = InetAddress.getByName(literal);
        List<ServerSocket> listeners = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ServerSocket listener = new ServerSocket();
                listener.bind(new InetSocketAddress(address, 0));
                listeners.add(listener);
            }
            List<String> args = new ArrayList<>(List.of("-sS", "-Pn", "-n", "--reason", "-T4"));
            if (literal.contains(":")) {
                args.add("-6");
            }
            args.add(literal);
            Path ours = dir.resolve("ours.xml");
            Path theirs = dir.resolve("nmap.xml");
            NavigableMap<Integer, NmapPort> mine = scanBoth(args, ours, theirs, address, "-");
            NavigableMap<Integer, NmapPort> nmap = NmapXml.parse(theirs).host(address).tcp();
            assertEquals(65535, mine.size());
            Map<Integer, String> differences = differences(mine, nmap);
            if (!differences.isEmpty()) {
                // Other processes' sockets come and go on a shared loopback between the two scans
                // (a client port in SYN_SENT even answers a SYN). Scanned again back to back, the
                // two tools must agree on those ports.
                String ports = differences.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
                differences = differences(scanBoth(args, ours, theirs, address, ports),
                        NmapXml.parse(theirs).host(address).tcp());
            }
            assertEquals(Map.of(), differences);
            for (ServerSocket listener : listeners) {
                assertEquals("open", mine.get(listener.getLocalPort()).state().nmapName());
            }
        } finally {
            for (ServerSocket listener : listeners) {
                listener.close();
            }
        }
    }

    /** Runs ours, then nmap, with {@code args} plus {@code -p ports}; returns our ports. */
    private static NavigableMap<Integer, NmapPort> scanBoth(List<String> args, Path ours, Path theirs,
            InetAddress address, String ports) {
        List<String> ourArgs = new ArrayList<>(args);
        ourArgs.addAll(List.of("-p" + ports, "-oX", ours.toString()));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(0, new Main(quiet, quiet, ScanEngines.standard()).run(ourArgs.toArray(String[]::new)),
                sink.toString(StandardCharsets.UTF_8));
        List<String> nmapArgs = new ArrayList<>(List.of("nmap"));
        nmapArgs.addAll(args);
        nmapArgs.addAll(List.of("-p" + ports, "-oX", theirs.toString()));
        Commands.run(Duration.ofSeconds(120), nmapArgs);
        return NmapXml.parse(ours).host(address).tcp();
    }

    private static Map<Integer, String> differences(NavigableMap<Integer, NmapPort> mine,
            NavigableMap<Integer, NmapPort> nmap) {
        Map<Integer, String> differences = new TreeMap<>();
        for (Integer port : nmap.keySet()) {
            String b = describe(nmap.get(port));
            String a = describe(mine.get(port));
            if (!a.equals(b)) {
                differences.put(port, "ours " + a + ", nmap " + b);
            }
        }
        return differences;
    }

    private static String describe(NmapPort port) {
        return port == null ? "missing" : port.state() + "/" + port.reason() + "/" + port.reasonTtl();
    }
}
