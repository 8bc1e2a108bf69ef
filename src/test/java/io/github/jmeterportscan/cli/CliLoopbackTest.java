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
            List<String> args = new ArrayList<>(List.of("-sS", "-Pn", "-n", "-p-", "--reason", "-T4"));
            if (literal.contains(":")) {
                args.add("-6");
            }
            args.add(literal);
            Path ours = dir.resolve("ours.xml");
            Path theirs = dir.resolve("nmap.xml");
            List<String> ourArgs = new ArrayList<>(args);
            ourArgs.addAll(List.of("-oX", ours.toString()));
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
            assertEquals(0, new Main(quiet, quiet, ScanEngines.standard()).run(ourArgs.toArray(String[]::new)),
                    sink.toString(StandardCharsets.UTF_8));
            List<String> nmapArgs = new ArrayList<>(List.of("nmap"));
            nmapArgs.addAll(args);
            nmapArgs.addAll(List.of("-oX", theirs.toString()));
            Commands.run(Duration.ofSeconds(120), nmapArgs);

            NavigableMap<Integer, NmapPort> mine = NmapXml.parse(ours).host(address).tcp();
            NavigableMap<Integer, NmapPort> nmap = NmapXml.parse(theirs).host(address).tcp();
            assertEquals(65535, mine.size());
            Map<Integer, String> differences = new TreeMap<>();
            for (int port = 1; port <= 65535; port++) {
                String a = mine.get(port).state() + "/" + mine.get(port).reason() + "/" + mine.get(port).reasonTtl();
                String b = nmap.get(port).state() + "/" + nmap.get(port).reason() + "/" + nmap.get(port).reasonTtl();
                if (!a.equals(b)) {
                    differences.put(port, "ours " + a + ", nmap " + b);
                }
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
}
