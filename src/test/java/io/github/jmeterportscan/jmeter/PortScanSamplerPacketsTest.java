package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.jmeter.samplers.SampleResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler's packet-level view: the per-port trace in the response data (View Results Tree),
 * and one pcap file written by many JMeter threads that tshark reads back whole.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PortScanSamplerPacketsTest {
    private static ServerSocket open;
    private static int closedPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void listeners() throws Exception {
        Privileges.requireRoot("SYN scans and packet capture");
        EmbeddedJMeter.home();
        open = new ServerSocket();
        open.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
    }

    @AfterAll
    static void close() throws Exception {
        if (open != null) {
            open.close();
        }
    }

    @Test
    void responseDataShowsEachPortsPackets() {
        PortScanSampler sampler = new PortScanSampler();
        sampler.setName("traced");
        sampler.setTargets("127.0.0.1");
        sampler.setPorts(open.getLocalPort() + "," + closedPort);
        sampler.setScanType("SYN (-sS)");
        sampler.setExpectedStates(open.getLocalPort() + "=open, " + closedPort + "=closed");
        sampler.setGranularity("per port");
        sampler.setPacketTrace("true");
        SampleResult result = sampler.sample(null);

        assertTrue(result.isSuccessful(), result.getResponseMessage());
        String text = result.getResponseDataAsString();
        assertTrue(text.contains("Packet trace"), text);
        assertTrue(text.contains("[SYN]") && text.contains("[SYN, ACK]") && text.contains("[RST, ACK]"), text);
        SampleResult[] children = result.getSubResults();
        assertEquals(2, children.length);
        for (SampleResult child : children) {
            String data = child.getResponseDataAsString();
            boolean isOpen = child.getSampleLabel().equals("127.0.0.1:" + open.getLocalPort() + "/tcp");
            assertTrue(data.contains(isOpen ? "[SYN, ACK]" : "[RST, ACK]"), child.getSampleLabel() + ":\n" + data);
            assertTrue(!data.contains(isOpen ? "[RST, ACK]" : "[SYN, ACK]"), "only its own port: " + data);
        }
    }

    @Test
    void manyThreadsWriteOnePcapFileThatTsharkReads() throws Exception {
        int threads = 8;
        int loops = 3;
        Path pcap = dir.resolve("threads.pcap");
        Path jtl = dir.resolve("threads.jtl");
        EmbeddedJMeter.run(EmbeddedJMeter.plan("/io/github/jmeterportscan/jmeter/packet-trace.jmx", dir), Map.of(
                "open_port", String.valueOf(open.getLocalPort()), "closed_port", String.valueOf(closedPort),
                "threads", String.valueOf(threads), "loops", String.valueOf(loops), "pcap", pcap.toString()), jtl);

        List<Sample> rows = ResultsFile.read(jtl).samples();
        long failed = rows.stream().filter(row -> !"true".equals(row.get("success"))).count();
        assertEquals(0, failed, "every scan as expected: " + rows);
        int scans = threads * loops;
        // The file is closed at test end; every record must parse.
        List<String> records = tshark(pcap);
        int probes = tsharkCount(pcap, "tcp.flags.syn==1 && tcp.flags.ack==0 && !icmp");
        int synAcks = tsharkCount(pcap, "tcp.flags.syn==1 && tcp.flags.ack==1 && tcp.srcport==" + open.getLocalPort());
        int resets = tsharkCount(pcap, "tcp.flags.reset==1 && tcp.srcport==" + closedPort);
        assertTrue(probes >= 2 * scans, "a probe per port per scan: " + probes);
        assertTrue(synAcks >= scans, "a SYN-ACK per scan: " + synAcks);
        assertTrue(resets >= scans, "a RST per scan: " + resets);
        assertEquals(records.size(), probes + synAcks + resets, "nothing else, nothing torn: " + records);
    }

    private static List<String> tshark(Path file, String... filter) {
        List<String> command = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(List.of(filter));
        Commands.Result result = Commands.run(Duration.ofSeconds(60), command);
        return result.stdout().lines().filter(line -> !line.isBlank()).toList();
    }

    private static int tsharkCount(Path file, String filter) {
        return tshark(file, "-Y", filter).size();
    }
}
