package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.report.NmapComparison.Run;
import io.github.jmeterportscan.report.NmapComparison.Variant;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.NmapRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real nmap 7.93 against loopback listeners this test opens: our writers, fed nmap's own results,
 * must produce what nmap produced (see {@link NmapComparison}).
 */
class NmapComparisonTest {
    private static final List<ServerSocket> LISTENERS = new ArrayList<>();
    private static String v4Listeners;
    private static String v6Listeners;

    @TempDir
    Path dir;

    @BeforeAll
    static void openListeners() throws IOException {
        StringBuilder v4 = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            LISTENERS.add(socket);
            v4.append(',').append(socket.getLocalPort());
        }
        v4Listeners = v4.toString();
        ServerSocket v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        LISTENERS.add(v6);
        v6Listeners = "," + v6.getLocalPort();
    }

    @AfterAll
    static void closeListeners() throws IOException {
        for (ServerSocket socket : LISTENERS) {
            socket.close();
        }
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("syn", ScanType.SYN, "127.0.0.1", "1-200", false, false, 0, List.of()),
                new Variant("syn-reason-closed-shown", ScanType.SYN, "127.0.0.1", "1-20", true, false, 0, List.of()),
                new Variant("syn-v", ScanType.SYN, "127.0.0.1", "1-45", false, false, 1, List.of()),
                new Variant("syn-vv", ScanType.SYN, "127.0.0.1", "1-70", false, false, 2, List.of()),
                new Variant("syn-open", ScanType.SYN, "127.0.0.1", "1-20", false, true, 0, List.of()),
                new Variant("syn-all-ignored", ScanType.SYN, "127.0.0.1", "1-100", false, false, 0, List.of()),
                new Variant("syn-named", ScanType.SYN, "localhost", "1-100", true, false, 0, List.of()),
                new Variant("syn-ipv6", ScanType.SYN, "::1", "1-100", false, false, 0, List.of("-6")),
                new Variant("connect", ScanType.CONNECT, "127.0.0.1", "1-200", true, false, 0, List.of()),
                new Variant("connect-open", ScanType.CONNECT, "127.0.0.1", "1-200", false, true, 0, List.of()),
                new Variant("ack", ScanType.ACK, "127.0.0.1", "1-30", false, false, 0, List.of()),
                new Variant("ack-shown", ScanType.ACK, "127.0.0.1", "1-10", true, false, 0, List.of()));
    }

    private static Variant withListeners(Variant variant) {
        boolean ipv6 = variant.target().contains(":");
        return variant.withPorts(variant.ports() + (ipv6 ? v6Listeners : v4Listeners));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void ourOutputMatchesNmaps(Variant variant) throws Exception {
        Variant withListeners = withListeners(variant);
        NmapComparison.assertMatches(NmapComparison.run(List.of(), withListeners, dir), withListeners);
    }

    /** Guards against a vacuous pass: ndiff must notice a port we changed. */
    @Test
    void ndiffSeesAChangedPort() throws Exception {
        Variant variant = withListeners(
                new Variant("connect", ScanType.CONNECT, "127.0.0.1", "1-50", false, false, 0, List.of()));
        Run run = NmapComparison.run(List.of(), variant, dir);
        ScanReport changed = flipFirstOpenPort(run.report());
        Path changedXml = dir.resolve("changed.xml");
        Files.writeString(changedXml, NmapComparison.writers(Optional.empty()).xml().toString(changed));

        Commands.Result ndiff = NmapRunner.ndiff(run.nmapXml(), changedXml);
        assertEquals(1, ndiff.exitCode(), () -> ndiff.stdout() + ndiff.stderr());
    }

    private static ScanReport flipFirstOpenPort(ScanReport report) {
        HostResult host = report.hosts().get(0);
        List<PortResult> ports = new ArrayList<>();
        boolean flipped = false;
        for (PortResult port : host.ports()) {
            if (!flipped && port.state() == PortState.OPEN) {
                ports.add(new PortResult(port.port(), PortState.FILTERED, Reason.NO_RESPONSE, 0, PortResult.NO_RTT));
                flipped = true;
            } else {
                ports.add(port);
            }
        }
        HostResult changed = new HostResult(host.target(), ports, host.startEpochMillis(), host.endEpochMillis(),
                host.timedOut(), host.times());
        return new ScanReport(report.request(), report.scanType(), report.notes(), List.of(changed),
                report.startEpochMillis(), report.endEpochMillis());
    }
}
