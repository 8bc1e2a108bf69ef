package io.github.jmeterportscan.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.cli.InProcessCli;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pcap files the scanner writes, read back by tshark: every probe and every reply is there,
 * also when many scans write one file from many threads at once, and our per-packet Info text
 * says what Wireshark's says.
 */
class PcapLabTest {
    private static NetnsLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void startLab() {
        Privileges.requireRoot("raw packets into a network namespace");
        Privileges.require(io.github.jmeterportscan.testsupport.Commands.installed("tshark"),
                "tshark is needed to read the pcap files back (apt-get install tshark)");
        lab = TraceLab.start(TraceLab.PREFIX + "p", "198.18.51.0/24", "2001:db8:51::/64");
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void cliPcapHoldsEveryProbeAndItsReply(IpFamily family) {
        Path pcap = dir.resolve("scan-" + family + ".pcap");
        String target = lab.target(family).getHostAddress();
        InProcessCli run = TraceLab.cli(TraceLab.synScanArgs(family, TraceLab.PORTS, target, "--pcap",
                pcap.toString()));
        assertEquals(0, run.status(), run.stderr());

        String icmp = family == IpFamily.V4 ? "icmp.type==3 && icmp.code==3" : "icmpv6.type==1 && icmpv6.code==4";
        String probes = "tcp.flags.syn==1 && tcp.flags.ack==0 && !icmp && !icmpv6";
        assertEquals(5, TraceLab.tsharkCount(pcap, probes), "one SYN per port, two for the dropped one");
        assertEquals(1, TraceLab.tsharkCount(pcap, "tcp.flags.syn==1 && tcp.flags.ack==1 && tcp.srcport=="
                + TraceLab.OPEN));
        assertEquals(1, TraceLab.tsharkCount(pcap, "tcp.flags.reset==1 && tcp.srcport==" + TraceLab.CLOSED));
        assertEquals(1, TraceLab.tsharkCount(pcap, icmp + " && tcp.dstport==" + TraceLab.REJECTED));
        assertEquals(2, TraceLab.tsharkCount(pcap, probes + " && tcp.dstport==" + TraceLab.DROPPED));
        assertEquals(8, TraceLab.tshark(pcap).size(), "nothing else in the file");
    }

    /** The kernel makes a connect scan's packets; with capture rights they still reach the file. */
    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void connectScanPacketsAreCapturedToo(IpFamily family) {
        Path pcap = dir.resolve("connect-" + family + ".pcap");
        List<String> args = new ArrayList<>(TraceLab.synScanArgs(family, TraceLab.PORTS,
                lab.target(family).getHostAddress(), "--pcap", pcap.toString()));
        args.set(0, "-sT");
        InProcessCli run = TraceLab.cli(args);
        assertEquals(0, run.status(), run.stderr());
        String icmp = family == IpFamily.V4 ? "icmp.type==3 && icmp.code==3" : "icmpv6.type==1 && icmpv6.code==4";
        String syn = "tcp.flags.syn==1 && tcp.flags.ack==0 && !icmp && !icmpv6";
        assertEquals(1, TraceLab.tsharkCount(pcap, syn + " && tcp.dstport==" + TraceLab.OPEN));
        assertEquals(1, TraceLab.tsharkCount(pcap, "tcp.flags.syn==1 && tcp.flags.ack==1 && tcp.srcport=="
                + TraceLab.OPEN));
        // The lab's listener closes at once (FIN), so our kernel sends more than the handshake's ACK.
        assertTrue(TraceLab.tsharkCount(pcap, "tcp.flags.syn==0 && tcp.flags.ack==1 && tcp.flags.reset==0"
                + " && tcp.dstport==" + TraceLab.OPEN) >= 1, "the handshake's third packet, from our kernel");
        // A second RST comes when the listener's FIN crosses our abortive close: the kernel answers
        // a segment of a connection that is already gone.
        assertTrue(TraceLab.tsharkCount(pcap, "tcp.flags.reset==1 && tcp.dstport==" + TraceLab.OPEN) >= 1,
                "the abortive close (SO_LINGER 0)");
        assertEquals(1, TraceLab.tsharkCount(pcap, "tcp.flags.reset==1 && tcp.srcport==" + TraceLab.CLOSED));
        // The kernel may retransmit a SYN that drew an ICMP error (a soft error to TCP) before connect() fails.
        assertTrue(TraceLab.tsharkCount(pcap, icmp + " && tcp.dstport==" + TraceLab.REJECTED) >= 1);
        assertTrue(TraceLab.tsharkCount(pcap, syn + " && tcp.dstport==" + TraceLab.DROPPED) >= 2,
                "a connect and its retry, unanswered");
    }

    /** Our Info column against tshark's on the same packets (absolute sequence numbers). */
    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void infoTextMatchesWiresharks(IpFamily family) throws Exception {
        Path pcap = dir.resolve("info-" + family + ".pcap");
        PacketRecorder recorder = new PacketRecorder();
        try (PcapWriter writer = PcapWriter.open(pcap)) {
            TraceLab.scan(TraceLab.synScanArgs(family, TraceLab.PORTS, lab.target(family).getHostAddress()),
                    ScanObserver.all(recorder, writer));
        }
        List<String> theirs = TraceLab.tshark(pcap, "-o", "tcp.relative_sequence_numbers:FALSE", "-T", "fields",
                "-e", "frame.time_epoch", "-e", "_ws.col.Info").stream()
                // Wireshark's analysis notes ("[TCP Retransmission] ") are not part of the packet.
                .map(l -> l.split("\t", 2)[1].replaceAll("^(\\[[^]]*\\] )+", "")).toList();
        List<TracedPacket> written = recorder.packets();
        assertEquals(written.size(), theirs.size());
        // The file is in arrival order, the recorder's list in time order; they hold the same packets.
        List<String> ours = new ArrayList<>();
        for (TracedPacket p : written) {
            ours.add(TraceFormatter.info(p.decode()));
        }
        List<String> tsharkSorted = new ArrayList<>(theirs);
        List<String> oursComparable = new ArrayList<>(ours.stream()
                .map(s -> s.replaceAll(", quoting .*", "")).toList());
        tsharkSorted.sort(null);
        oursComparable.sort(null);
        assertEquals(tsharkSorted, oursComparable);
    }

    @Test
    void manyScansInParallelShareOneFile() throws Exception {
        int threads = 16;
        Path pcap = dir.resolve("parallel.pcap");
        List<PacketRecorder> recorders = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        PcapWriter writer = PcapWriter.open(pcap);
        try {
            List<Future<ScanReport>> scans = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                PacketRecorder recorder = new PacketRecorder();
                recorders.add(recorder);
                IpFamily family = i % 2 == 0 ? IpFamily.V4 : IpFamily.V6;
                // Closed ports answer at once; 87 rejects with ICMP; the open port completes the set.
                List<String> args = TraceLab.synScanArgs(family, "22,81,87,1000-1199",
                        lab.target(family).getHostAddress());
                scans.add(pool.submit(() -> TraceLab.scan(args, ScanObserver.all(recorder, writer))));
            }
            for (Future<ScanReport> scan : scans) {
                assertEquals(203, scan.get(120, TimeUnit.SECONDS).hosts().get(0).ports().size());
            }
        } finally {
            pool.shutdownNow();
            writer.close();
        }
        long sent = recorders.stream().flatMap(r -> r.packets().stream())
                .filter(p -> p.direction() == PacketDirection.SENT).count();
        long received = recorders.stream().flatMap(r -> r.packets().stream())
                .filter(p -> p.direction() == PacketDirection.RECEIVED).count();
        assertTrue(sent >= threads * 203L, "every port probed at least once: " + sent);
        assertEquals(sent + received, writer.written());
        assertEquals(0, writer.lost());
        assertTrue(Files.size(pcap) > 24 + (sent + received) * 16, "a header and a record per packet");
        // Without "!icmp": tshark also dissects the probe quoted inside each ICMP error.
        assertEquals(sent, TraceLab.tsharkCount(pcap, "tcp.flags.syn==1 && tcp.flags.ack==0 && !icmp && !icmpv6"));
        // At least one SYN-ACK per scan from port 22; more when a busy machine made a probe time out
        // and its retransmission drew a second SYN-ACK. The file holds exactly those we saw.
        long synAcks = recorders.stream().flatMap(r -> r.packets().stream())
                .filter(p -> p.direction() == PacketDirection.RECEIVED)
                .filter(p -> p.decode().tcp().filter(t -> t.has(TcpSegment.SYN) && t.has(TcpSegment.ACK)).isPresent())
                .count();
        assertTrue(synAcks >= threads, "a SYN-ACK for every scan: " + synAcks);
        assertEquals(synAcks, TraceLab.tsharkCount(pcap, "tcp.flags.syn==1 && tcp.flags.ack==1 && !icmp && !icmpv6"));
        assertEquals(sent + received, TraceLab.tshark(pcap).size(), "tshark reads every record");
    }
}
