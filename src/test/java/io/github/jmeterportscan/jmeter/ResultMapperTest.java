package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.report.ProgramIdentity;
import io.github.jmeterportscan.report.ReportWriters;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.SampleResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a finished scan looks like as JMeter samples, and how the assertion reads it back. */
class ResultMapperTest {
    private static final long START = 1_700_000_000_000L;
    private static final ServiceTable SERVICES = ServiceTable.system();
    private static final ReportWriters WRITERS = ReportWriters.of(SERVICES::listedName, ProgramIdentity.PORTSCAN);

    @TempDir
    Path dir;

    @BeforeAll
    static void jmeter() throws Exception {
        EmbeddedJMeter.home();
    }

    /** 127.0.0.1: 22 open (1.4 ms), 80 closed, 443 filtered; ::1: 22 open. */
    private static ScanReport report() throws Exception {
        HostResult v4 = new HostResult(Target.of(InetAddress.getByName("127.0.0.1")), List.of(
                new PortResult(22, PortState.OPEN, Reason.SYN_ACK, 64, 1_400),
                new PortResult(80, PortState.CLOSED, Reason.RESET, 64, 300),
                new PortResult(443, PortState.FILTERED, Reason.NO_RESPONSE, 0, PortResult.NO_RTT)),
                START, START + 1_500, false, HostTimes.UNKNOWN);
        HostResult v6 = new HostResult(Target.of(InetAddress.getByName("::1")), List.of(
                new PortResult(22, PortState.OPEN, Reason.SYN_ACK, 64, 2_600)),
                START + 1_500, START + 1_600, false, HostTimes.UNKNOWN);
        return new ScanReport(NmapCommandLine.parse("-p", "22,80,443", "127.0.0.1"), ScanType.SYN, List.of(),
                List.of(v4, v6), START, START + 1_600);
    }

    private static SampleResult map(ScanReport report, String expected, Granularity granularity) throws Exception {
        SampleResult result = new SampleResult();
        result.setSampleLabel("scan");
        result.setStampAndTime(START, 1_600);
        new ResultMapper(WRITERS).fill(result, report, ScanOutcome.of(report), List.of("WARNING: a warning"),
                ExpectationMatrix.parse(expected, SERVICES), granularity);
        return result;
    }

    /** With nmap's discovery, a host found down fails the sample at every granularity, and names why. */
    @Test
    void aHostFoundDownFailsTheSample() throws Exception {
        ScanReport scanned = report();
        HostResult down = HostResult.discovered(Target.of(InetAddress.getByName("127.0.0.2")),
                HostStatus.NO_RESPONSE, HostTimes.UNKNOWN, java.util.Optional.empty(), START, START + 200);
        List<HostResult> hosts = new java.util.ArrayList<>(scanned.hosts());
        hosts.add(down);
        ScanReport report = new ScanReport(NmapCommandLine.parse("-p", "22,80,443", "127.0.0.1"), ScanType.SYN,
                List.of(), hosts, START, START + 1_600);
        String why = "127.0.0.2 is down (no-response), its ports were not scanned";

        SampleResult perScan = map(report, "22=open", Granularity.SCAN);
        assertFalse(perScan.isSuccessful());
        assertTrue(perScan.getAssertionResults()[0].getFailureMessage().contains(why),
                perScan.getAssertionResults()[0].getFailureMessage());

        SampleResult perHost = map(report, "22=open", Granularity.HOST);
        assertFalse(perHost.isSuccessful());
        SampleResult hostRow = perHost.getSubResults()[2];
        assertEquals("127.0.0.2", hostRow.getSampleLabel());
        assertFalse(hostRow.isSuccessful());

        SampleResult perPort = map(report, "22=open", Granularity.PORT);
        SampleResult[] rows = perPort.getSubResults();
        SampleResult last = rows[rows.length - 1];
        assertEquals("127.0.0.2", last.getSampleLabel());
        assertEquals("no-response", last.getResponseCode());
        assertEquals("host down", last.getResponseMessage());
        assertFalse(last.isSuccessful());
        assertEquals("Number of samples in transaction : " + rows.length + ", number of failing samples : 1",
                perPort.getResponseMessage());
    }

    @Test
    void perScanSampleSummarisesStatesAndReasons() throws Exception {
        SampleResult r = map(report(), "22=open", Granularity.SCAN);
        assertEquals("open=2 closed=1 filtered=1", r.getResponseCode());
        assertEquals("syn-ack=2 reset=1 no-response=1", r.getResponseMessage());
        assertTrue(r.isSuccessful());
        assertEquals(3, r.getLatency(), "the slowest answered probe, 2.6 ms rounded");
        assertEquals(3, r.getConnectTime());
        assertEquals(0, r.getSubResults().length);
        String text = r.getResponseDataAsString();
        assertTrue(text.startsWith("WARNING: a warning\nScan type: SYN Stealth Scan (-sS)\n# Nmap"), text);
        assertTrue(text.contains("22/tcp  open     ssh"), text);
        assertEquals(4, ScanOutcome.fromHeaders(r.getResponseHeaders()).ports().size());
    }

    @Test
    void onePortIsReportedByItsStateAndReason() throws Exception {
        ScanReport full = report();
        HostResult one = new HostResult(full.hosts().get(0).target(), List.of(full.hosts().get(0).ports().get(1)),
                START, START + 10, false, HostTimes.UNKNOWN);
        SampleResult r = map(new ScanReport(full.request(), ScanType.SYN, List.of(), List.of(one), START, START + 10),
                "open", Granularity.SCAN);
        assertEquals("closed", r.getResponseCode());
        assertEquals("reset ttl 64", r.getResponseMessage());
        assertFalse(r.isSuccessful());
        AssertionResult[] failures = r.getAssertionResults();
        assertEquals(1, failures.length);
        assertEquals("127.0.0.1:80/tcp: expected open, got closed (reset)", failures[0].getFailureMessage());
    }

    @Test
    void perPortSamplesAreUnrenamedProbesUnderAContainerTheDashboardSkips() throws Exception {
        SampleResult r = map(report(), "22=open, 443=open", Granularity.PORT);
        SampleResult[] children = r.getSubResults();
        assertEquals(List.of("127.0.0.1:22/tcp", "127.0.0.1:80/tcp", "127.0.0.1:443/tcp", "[::1]:22/tcp"),
                Arrays.stream(children).map(SampleResult::getSampleLabel).toList());
        assertEquals("Number of samples in transaction : 4, number of failing samples : 1", r.getResponseMessage());
        assertFalse(r.isSuccessful());
        assertEquals("open", children[0].getResponseCode());
        assertEquals("syn-ack ttl 64", children[0].getResponseMessage());
        assertEquals(1, children[0].getLatency());
        assertEquals(1, children[0].getTime(), "a probe's elapsed time is its RTT");
        assertEquals("filtered", children[2].getResponseCode());
        assertEquals("no-response", children[2].getResponseMessage());
        assertEquals(1_500, children[2].getTime(), "an unanswered probe waited for the whole host");
        assertFalse(children[2].isSuccessful());
        assertEquals("127.0.0.1:443/tcp: expected open, got filtered (no-response)",
                children[2].getAssertionResults()[0].getFailureMessage());
        assertEquals("X-PortScan-Port: ::1 22 open syn-ack 64 2600\n", children[3].getResponseHeaders());
    }

    @Test
    void perHostSamplesCarryEachHostsReport() throws Exception {
        SampleResult r = map(report(), "", Granularity.HOST);
        SampleResult[] children = r.getSubResults();
        assertEquals(List.of("127.0.0.1", "[::1]"), Arrays.stream(children).map(SampleResult::getSampleLabel).toList());
        assertEquals("open=1 closed=1 filtered=1", children[0].getResponseCode());
        assertEquals("open", children[1].getResponseCode());
        assertEquals(1_500, children[0].getTime());
        assertTrue(children[1].getResponseDataAsString().contains("Nmap scan report for ::1"));
        assertTrue(r.isSuccessful());
    }

    @Test
    void headersRoundTrip() throws Exception {
        ScanOutcome outcome = ScanOutcome.of(report());
        assertEquals(outcome, ScanOutcome.fromHeaders("Content-Type: text/plain\r\n" + outcome.toHeaders()));
    }

    @Test
    void assertionFailsTheDifferingProbesAndNamesThem() throws Exception {
        SampleResult r = map(report(), "", Granularity.PORT);
        assertTrue(r.isSuccessful());
        PortStateAssertion assertion = new PortStateAssertion();
        assertion.setName("rules");
        assertion.setExpectedStates("22=filtered, 80=closed|filtered");
        AssertionResult result = assertion.getResult(r);
        assertTrue(result.isFailure());
        assertEquals("127.0.0.1:22/tcp: expected filtered, got open (syn-ack); "
                + "[::1]:22/tcp: expected filtered, got open (syn-ack)", result.getFailureMessage());
        SampleResult[] children = r.getSubResults();
        assertFalse(children[0].isSuccessful());
        assertTrue(children[1].isSuccessful());
        assertFalse(children[3].isSuccessful());
        assertEquals("Number of samples in transaction : 4, number of failing samples : 2", r.getResponseMessage());
    }

    @Test
    void assertionComparesWithABaselineNmapXml() throws Exception {
        ScanReport before = report();
        Path baseline = dir.resolve("baseline.xml");
        Files.writeString(baseline, WRITERS.xml().toString(before));
        PortStateAssertion assertion = new PortStateAssertion();
        assertion.setBaselineFile(baseline.toString());
        assertFalse(assertion.getResult(map(before, "", Granularity.SCAN)).isFailure(), "same scan, same states");

        HostResult changed = new HostResult(before.hosts().get(0).target(), List.of(
                new PortResult(22, PortState.OPEN, Reason.SYN_ACK, 64, 1_400),
                new PortResult(80, PortState.OPEN, Reason.SYN_ACK, 64, 300),
                new PortResult(443, PortState.FILTERED, Reason.NO_RESPONSE, 0, PortResult.NO_RTT)),
                START, START + 1_500, false, HostTimes.UNKNOWN);
        ScanReport after = new ScanReport(before.request(), ScanType.SYN, List.of(),
                List.of(changed, before.hosts().get(1)), START, START + 1_600);
        AssertionResult result = assertion.getResult(map(after, "", Granularity.SCAN));
        assertTrue(result.isFailure());
        assertEquals("127.0.0.1:80/tcp: expected closed, got open (syn-ack)", result.getFailureMessage());

        assertion.setExpectedStates("80=open|closed");
        assertFalse(assertion.getResult(map(after, "", Granularity.SCAN)).isFailure(), "the matrix wins over the baseline");
    }

    @Test
    void assertionOnASampleWithoutScanSaysSo() {
        SampleResult failed = new SampleResult();
        failed.setSampleLabel("bad");
        failed.setSuccessful(false);
        failed.setResponseCode("InvalidSpec");
        failed.setResponseMessage("Ports specified must be between 0 and 65535 inclusive");
        PortStateAssertion assertion = new PortStateAssertion();
        assertion.setExpectedStates("open");
        assertEquals("No port scan result in sample \"bad\" (InvalidSpec: Ports specified must be between 0 and 65535 "
                + "inclusive)", assertion.getResult(failed).getFailureMessage());
    }
}
