package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ProcessResources;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.reporters.ResultCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests started and stopped in one JVM, as in the GUI: a hundred start/stop cycles give back every
 * handle (the soak profile runs a thousand: {@link PortScanSamplerStartStopSoak}), and JMeter's
 * Stop in the middle of a long scan ends the test within a second with every handle of the scan
 * closed: a SYN scan holds a capture handle, its thread and a raw socket, a connect scan of a host
 * that drops everything hundreds of half-open sockets. Handles are counted in /proc
 * ({@link ProcessResources}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortScanSamplerStartStopTest {
    private static final Logger LOG = LoggerFactory.getLogger(PortScanSamplerStartStopTest.class);
    private static final long STOP_BUDGET_MILLIS = 1000;
    /** An address of loopback that no other test binds: only wildcard listeners could answer there. */
    private static final String QUIET_LOOPBACK = "127.80.0.2";
    /** The package of the scan engines. */
    private static final String SCANNERS = "io.github.jmeterportscan.scan.";
    private static final String LAB_PREFIX = "ps-stop-";

    /** A host that drops every TCP segment: a -p- scan of it runs for seconds with probes in flight. */
    private static NetnsLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void jmeterAndLab() throws Exception {
        Privileges.requireRoot("SYN scans, packet capture and a network namespace");
        EmbeddedJMeter.home();
        NetnsLab.cleanupLeftovers(LAB_PREFIX);
        lab = NetnsLab.builder().prefix(LAB_PREFIX).subnets("198.18.80.0/24", "2001:db8:80::/64")
                .plan(LabPortPlan.builder().range(1, 65535, PortBehavior.DROP).build()).start();
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aHundredTestStartsAndStopsGiveBackEveryHandleAndThread() throws Exception {
        StartStopCycles.run(100, dir);
    }

    /**
     * JMeter's Stop (StandardJMeterEngine.stopTest(true), what the GUI's Stop button calls) in the
     * middle of a scan that would take a minute or more.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "-sS, loopback at 100 probes/s", "-sT, loopback at 100 probes/s",
        "-sS, -p- of a host that drops everything", "-sT, -p- of a host that drops everything"})
    void stoppingATestMidScanEndsItWithinASecondWithEveryHandleClosed(String scanType, String scan) throws Exception {
        boolean onLab = scan.startsWith("-p-");
        String target = onLab ? lab.target(IpFamily.V4).getHostAddress() : QUIET_LOOPBACK;
        // ~100 s on loopback (10,000 ports at 100 a second); on the lab, minutes for -sT.
        String ports = onLab ? "-p-" : "-p 20000-29999 --max-rate 100";
        Path plan = EmbeddedJMeter.plan("/io/github/jmeterportscan/jmeter/one-scan.jmx", dir);
        // A short run first, so that the baseline includes what the first run of a JVM loads.
        ResultCollector warmUp = collector(dir.resolve("warm-up.jtl"));
        EmbeddedJMeter.start(plan, properties(target, scanType + " -p 20000-20009 --max-retries 0"), List.of(warmUp))
                .awaitTermination(Duration.ofSeconds(60));
        ProcessResources before = StartStopCycles.settled(StartStopCycles::noCapture);

        Path jtl = dir.resolve("stopped.jtl");
        StandardJMeterEngine engine = EmbeddedJMeter.start(plan, properties(target, scanType + " " + ports),
                List.of(collector(jtl)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!scanning() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(scanning(), "the scan never started");
        Thread.sleep(500);
        ProcessResources during = ProcessResources.now();

        long stop = System.nanoTime();
        engine.stopTest(true);
        engine.awaitTermination(Duration.ofSeconds(30));
        long returnedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop);
        ProcessResources after = ProcessResources.now();
        while (!closedBackTo(after, before) && System.nanoTime() - stop < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(5);
            after = ProcessResources.now();
        }
        long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop);
        LOG.info("{} {}: stopped mid-scan ({}); the engine returned after {} ms, every handle was closed after {} ms "
                + "({})", scanType, scan, during.handles(), returnedMillis, closedMillis, after.handles());
        assertTrue(closedBackTo(after, before), before.handles() + " -> " + after.handles());
        assertTrue(returnedMillis <= STOP_BUDGET_MILLIS, "the test ended " + returnedMillis + " ms after Stop");
        assertTrue(closedMillis <= STOP_BUDGET_MILLIS, "handles were open " + closedMillis + " ms after Stop: "
                + before.handles() + " -> " + after.handles());
        List<Sample> rows = ResultsFile.read(jtl).samples();
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("Interrupted", rows.get(0).get("responseCode"), rows.toString());
    }

    /** JMeter's properties outlive a test: names of their own keep them out of the other plans. */
    private static Map<String, String> properties(String target, String options) {
        return Map.of("one_scan_target", target, "one_scan_options", options, "one_scan_expected", "");
    }

    private static ResultCollector collector(Path jtl) {
        ResultCollector collector = new ResultCollector();
        collector.setFilename(jtl.toString());
        return collector;
    }

    /** Whether a sampler is inside a scan engine (the send helpers wait in that package too). */
    private static boolean scanning() {
        return Thread.getAllStackTraces().values().stream().anyMatch(stack ->
                Arrays.stream(stack).anyMatch(frame -> frame.getClassName().equals(PortScanSampler.class.getName()))
                && Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith(SCANNERS)));
    }

    private static boolean closedBackTo(ProcessResources now, ProcessResources baseline) {
        return now.scanThreads() == 0 && now.packetSockets() == baseline.packetSockets()
                && now.rawSockets() == baseline.rawSockets() && now.tcpSockets() == baseline.tcpSockets()
                && now.fds() <= baseline.fds();
    }
}
