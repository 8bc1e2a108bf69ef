package io.github.jmeterportscan.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.cli.InProcessCli;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Packet traces of a SYN scan of real lab ports: each port's trace holds the probes and the reply
 * that decided it, with the right flags and numbers, and the --packet-trace lines have the layout
 * of the real nmap's on the same ports.
 */
class PacketTraceLabTest {
    private static NetnsLab lab;

    @BeforeAll
    static void startLab() {
        Privileges.requireRoot("raw packets into a network namespace");
        lab = TraceLab.start(TraceLab.PREFIX, TraceLab.V4_BLOCK, TraceLab.V6_BLOCK);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void eachPortsTraceHoldsItsProbesAndTheDecidingReply(IpFamily family) throws Exception {
        InetAddress target = lab.target(family);
        PacketRecorder recorder = new PacketRecorder();
        ScanReport report = TraceLab.scan(TraceLab.synScanArgs(family, TraceLab.PORTS, target.getHostAddress()),
                recorder);
        Map<Integer, PortTrace> traces = PortTraces.of(recorder.packets(), report.hosts()).stream()
                .collect(Collectors.toMap(PortTrace::port, Function.identity()));
        assertEquals(Set.of(TraceLab.OPEN, TraceLab.CLOSED, TraceLab.DROPPED, TraceLab.REJECTED), traces.keySet());
        traces.values().forEach(t -> assertEquals(target, t.target()));

        PortTrace open = traces.get(TraceLab.OPEN);
        assertVerdict(open, PortState.OPEN, Reason.SYN_ACK);
        TcpSegment synAck = onlyReply(open).tcp().orElseThrow();
        assertEquals("[SYN, ACK]", synAck.wiresharkFlags());
        assertTrue(sentSeqs(open).contains((synAck.ack() - 1) & 0xffffffffL), "the SYN-ACK acks a probe's seq + 1");

        PortTrace closed = traces.get(TraceLab.CLOSED);
        assertVerdict(closed, PortState.CLOSED, Reason.RESET);
        TcpSegment rst = onlyReply(closed).tcp().orElseThrow();
        assertEquals("[RST, ACK]", rst.wiresharkFlags());
        assertTrue(sentSeqs(closed).contains((rst.ack() - 1) & 0xffffffffL), "the RST acks a probe's seq + 1");

        PortTrace dropped = traces.get(TraceLab.DROPPED);
        assertVerdict(dropped, PortState.FILTERED, Reason.NO_RESPONSE);
        assertEquals(2, dropped.packets().size(), "the probe and its one retransmission, no reply");
        assertTrue(dropped.packets().stream().allMatch(p -> p.direction() == PacketDirection.SENT));

        PortTrace rejected = traces.get(TraceLab.REJECTED);
        assertVerdict(rejected, PortState.FILTERED, Reason.PORT_UNREACH);
        DecodedDatagram icmp = onlyReply(rejected);
        IcmpMessage error = icmp.icmp().orElseThrow();
        assertEquals(family == IpFamily.V4 ? List.of(3, 3) : List.of(1, 4), List.of(error.type(), error.code()));
        TcpSegment quoted = error.quoted().orElseThrow().tcp().orElseThrow();
        assertEquals(TraceLab.REJECTED, quoted.destinationPort());
        assertTrue(sentSeqs(rejected).contains(quoted.seq()), "the ICMP error quotes one of our probes");

        for (PortTrace t : traces.values()) {
            DecodedDatagram probe = t.packets().get(0).decode();
            assertEquals(PacketDirection.SENT, t.packets().get(0).direction());
            assertEquals("[SYN]", probe.tcp().orElseThrow().wiresharkFlags());
            assertEquals(lab.hostAddress(family), probe.ip().source());
        }

        String text = TraceFormatter.format(PortTraces.of(recorder.packets(), report.hosts()));
        for (String expected : List.of("[SYN]", "[SYN, ACK]", "[RST, ACK]", "Port unreachable", "open (syn-ack",
                "closed (reset", "filtered (no-response)", "filtered (port-unreach")) {
            assertTrue(text.contains(expected), "trace text lacks " + expected + ":\n" + text);
        }
    }

    /** Field values differ between runs and tools; the layout of each kind of line must not. */
    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void packetTraceLinesHaveNmapsLayout(IpFamily family) {
        String target = lab.target(family).getHostAddress();
        InProcessCli ours = TraceLab.cli(TraceLab.synScanArgs(family, TraceLab.PORTS, target, "--packet-trace"));
        assertEquals(0, ours.status(), ours.stderr());
        NmapRunner.Result nmap = NmapRunner.scanWithOutput(Duration.ofSeconds(60),
                TraceLab.synScanArgs(family, TraceLab.PORTS, target, "--packet-trace"));

        Set<String> ourShapes = shapes(ours.stdout());
        Set<String> nmapShapes = shapes(nmap.stdout());
        assertEquals(4, ourShapes.size(), "SENT SYN, RCVD SYN-ACK, RCVD RST, RCVD ICMP error: " + ourShapes);
        assertEquals(nmapShapes, ourShapes, "ours:\n" + ours.stdout() + "\nnmap:\n" + nmap.stdout());
    }

    /**
     * The SENT/RCVD lines about our TCP probes (nmap also prints ARP and neighbour discovery, which
     * we do not do), with every number replaced by '#'.
     */
    private static Set<String> shapes(String stdout) {
        return stdout.lines()
                .filter(l -> l.startsWith("SENT (") || l.startsWith("RCVD ("))
                .filter(l -> l.contains(") TCP ") || l.contains("unreachable") || l.contains("(type=1/code="))
                .map(l -> l.replaceAll("flow=[0-9a-f]+", "flow=#").replaceAll("[0-9]+", "#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertVerdict(PortTrace trace, PortState state, Reason reason) {
        PortResult result = trace.result().orElseThrow();
        assertEquals(state, result.state(), "port " + trace.port());
        assertEquals(reason, result.reason(), "port " + trace.port());
        assertFalse(trace.packets().isEmpty(), "port " + trace.port() + " has packets");
    }

    private static DecodedDatagram onlyReply(PortTrace trace) {
        List<TracedPacket> replies = trace.packets().stream()
                .filter(p -> p.direction() == PacketDirection.RECEIVED).toList();
        assertEquals(1, replies.size(), "one reply on port " + trace.port() + ": " + TraceFormatter.format(trace));
        return replies.get(0).decode();
    }

    private static Set<Long> sentSeqs(PortTrace trace) {
        return trace.packets().stream().filter(p -> p.direction() == PacketDirection.SENT)
                .map(p -> p.decode().tcp().orElseThrow().seq()).collect(Collectors.toSet());
    }
}
