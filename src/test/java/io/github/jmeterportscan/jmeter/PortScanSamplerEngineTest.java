package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real test plans (.jmx under src/test/resources) in a real JMeter engine against loopback
 * listeners opened here. As root the scans are SYN scans, otherwise connect scans; the plans and
 * the assertions hold for both.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PortScanSamplerEngineTest {
    private static final String PLANS = "/io/github/jmeterportscan/jmeter/";

    @TempDir
    Path dir;
    private ServerSocket listener;
    private int openPort;
    private int closedPort;

    @BeforeEach
    void listen() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        listener = new ServerSocket(0, 200, loopback);
        openPort = listener.getLocalPort();
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            closedPort = probe.getLocalPort();
        }
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
    }

    private String openLabel() {
        return "127.0.0.1:" + openPort + "/tcp";
    }

    private String closedLabel() {
        return "127.0.0.1:" + closedPort + "/tcp";
    }

    @Test
    void perPortSamplesAreOneRowPerProbeAndTheDashboardCountsEachOnce() throws Exception {
        int threads = 4;
        int loops = 3;
        Path jtl = dir.resolve("per-port.jtl");
        EmbeddedJMeter.run(EmbeddedJMeter.plan(PLANS + "per-port-dashboard.jmx", dir), Map.of(
                "open_port", String.valueOf(openPort), "closed_port", String.valueOf(closedPort),
                "threads", String.valueOf(threads), "loops", String.valueOf(loops)), jtl);

        List<Sample> rows = ResultsFile.read(jtl).samples();
        int scans = threads * loops;
        assertEquals(scans * 3, rows.size(), "one container row and one row per probe for each scan: " + rows);
        List<Sample> containers = ResultsFile.labelled(rows, "scan loopback");
        assertEquals(scans, containers.size());
        for (Sample row : containers) {
            assertEquals("Number of samples in transaction : 2, number of failing samples : 0",
                    row.get("responseMessage"));
            assertEquals("open=1 closed=1", row.get("responseCode"));
            assertEquals("true", row.get("success"));
            assertEquals(String.valueOf(openPort), row.get("portscan_open"), "variables of the scan");
            assertEquals(String.valueOf(closedPort), row.get("portscan_closed"));
            assertEquals("1", row.get("portscan_open_count"), "a number the dashboard can plot");
            assertEquals("1", row.get("portscan_closed_count"));
            long rttMicros = Long.parseLong(row.get("portscan_rtt_us"));
            assertTrue(rttMicros >= 0, "the slowest answered probe's RTT in microseconds: " + row);
            assertEquals(String.valueOf((rttMicros + 500) / 1000), row.get("Latency"),
                    "Latency is the same RTT in milliseconds: " + row);
        }
        List<Sample> open = ResultsFile.labelled(rows, openLabel());
        List<Sample> closed = ResultsFile.labelled(rows, closedLabel());
        assertEquals(scans, open.size());
        assertEquals(scans, closed.size());
        for (Sample row : open) {
            assertEquals("open", row.get("responseCode"));
            assertTrue(row.get("responseMessage").startsWith("syn-ack"), row.toString());
            assertEquals("true", row.get("success"));
        }
        for (Sample row : closed) {
            assertEquals("closed", row.get("responseCode"));
            assertTrue(row.get("responseMessage").matches("reset ttl \\d+|conn-refused"), row.toString());
            assertEquals("true", row.get("success"));
        }

        JsonNode stats = new ObjectMapper().readTree(EmbeddedJMeter.dashboard(jtl, dir.resolve("dashboard")));
        assertEquals(scans * 2, stats.get("Total").get("sampleCount").asInt(), "each probe once: " + stats);
        assertEquals(0, stats.get("Total").get("errorCount").asInt());
        assertEquals(scans, stats.get(openLabel()).get("sampleCount").asInt());
        assertEquals(scans, stats.get(closedLabel()).get("sampleCount").asInt());
    }

    @Test
    void failedExpectationsAndErrorsFailTheirSamplesAndThePlanGoesOn() throws Exception {
        Path jtl = dir.resolve("checks.jtl");
        EmbeddedJMeter.run(EmbeddedJMeter.plan(PLANS + "expectations-and-errors.jmx", dir), Map.of(
                "open_port", String.valueOf(openPort), "closed_port", String.valueOf(closedPort)), jtl);
        List<Sample> rows = ResultsFile.read(jtl).samples();

        Sample gate = single(rows, "gate expects closed");
        assertEquals("open", gate.get("responseCode"));
        assertEquals("false", gate.get("success"));
        assertTrue(gate.get("responseMessage").startsWith("syn-ack"), gate.toString());
        assertEquals(openLabel() + ": expected closed, got open (syn-ack)", gate.get("failureMessage"));

        Sample bad = single(rows, "bad port spec");
        assertEquals("InvalidSpec", bad.get("responseCode"));
        assertEquals("false", bad.get("success"));
        assertEquals("Ports specified must be between 0 and 65535 inclusive", bad.get("responseMessage"));
        assertEquals(bad.get("responseMessage"), bad.get("portscan_error"));

        Sample options = single(rows, "options line");
        assertEquals("open", options.get("responseCode"), "the plan went on after the error: " + options);
        assertEquals("true", options.get("success"));

        Sample matrix = single(rows, "firewall matrix");
        assertEquals("false", matrix.get("success"));
        assertEquals("Number of samples in transaction : 2, number of failing samples : 1",
                matrix.get("responseMessage"));
        assertTrue(matrix.get("failureMessage").startsWith(closedLabel() + ": expected filtered, got closed ("),
                matrix.get("failureMessage"));
        assertEquals("true", single(rows, openLabel()).get("success"));
        Sample closedRow = single(rows, closedLabel());
        assertEquals("false", closedRow.get("success"), "the assertion fails the probe the dashboard counts");
        assertTrue(closedRow.get("failureMessage").startsWith(closedLabel() + ": expected filtered"));

        JsonNode stats = new ObjectMapper().readTree(EmbeddedJMeter.dashboard(jtl, dir.resolve("dashboard")));
        // gate + bad spec + options line (one row each) + two probes; the container is not counted.
        assertEquals(5, stats.get("Total").get("sampleCount").asInt(), stats.toString());
        assertEquals(3, stats.get("Total").get("errorCount").asInt(), stats.toString());
        assertFalse(stats.get("firewall matrix") != null
                && stats.get("firewall matrix").get("sampleCount").asInt() > 1);
    }

    private static Sample single(List<Sample> rows, String label) {
        List<Sample> found = ResultsFile.labelled(rows, label);
        assertEquals(1, found.size(), label + " in " + rows);
        return found.get(0);
    }
}
