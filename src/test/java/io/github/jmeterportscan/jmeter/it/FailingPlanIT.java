package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A plan whose expectation does not hold must fail the headless run: src/test/jmeter/failing/ holds the
 * reachability gate with one service down. The Port Scan sampler's own expectation (open) fails the down port's
 * host:port/tcp sample with the sampler's message and, through it, the gate (so the plugin's results goal, which fails
 * the build on any error sample, would reject it); the setUp thread group stops the test before the load starts, and
 * JMeter still exits by itself although the tearDown never ran. The dashboard's Errors table names the unexpected
 * state with its reason.
 */
class FailingPlanIT {

    /** The sampler's message: "127.0.0.1:41234/tcp: expected open, got closed (reset)". */
    private static final Pattern MISMATCH =
            Pattern.compile("127\\.0\\.0\\.1:(\\d+)/tcp: expected open, got closed \\((reset|conn-refused)\\)");

    @Test
    void serviceDownFailsTheGateAndNoLoadRuns() throws Exception {
        Path plan = ItPaths.projectDir().resolve("src/test/jmeter/failing/reachability-gate-service-down.jmx");
        HeadlessRun run = HeadlessRun.run(AssembledJMeter.locate(), plan, ItPaths.outputDir().resolve("failing"),
                true, Map.of(), Duration.ofMinutes(1));
        ResultsFile results = run.resultsFile();

        List<ResultsFile.Scan> scans = results.scans();
        assertEquals(1, scans.size(), "one gate scan: " + results.samples());
        ResultsFile.Scan gate = scans.get(0);
        assertEquals("Gate: service ports open", gate.container().label());
        assertFalse(gate.container().success(), "the gate must fail");
        assertEquals("Number of samples in transaction : 2, number of failing samples : 1",
                gate.container().responseMessage());
        assertEquals("open=1 closed=1", gate.container().responseCode());
        assertEquals("1", gate.container().variable("portscan_closed_count").orElse("unset"));

        List<ResultsFile.Sample> failures = results.failures();
        assertEquals(2, failures.size(), "exactly the gate and the down port fail: " + results.samples());
        ResultsFile.Sample down = failures.get(1);
        Matcher message = MISMATCH.matcher(down.failureMessage());
        assertTrue(message.matches(), "the failure names the port that is down, its state and reason: "
                + down.failureMessage());
        String reason = Privileges.isRoot() ? "reset" : "conn-refused";
        assertEquals(reason, message.group(2), "the reason of a closed port in a " + (Privileges.isRoot() ? "SYN"
                : "connect") + " scan");
        assertEquals("127.0.0.1:" + message.group(1) + "/tcp", down.label());
        assertEquals("closed", down.responseCode());
        ResultsFile.Sample up = gate.probes().stream().filter(ResultsFile.Sample::success).findFirst().orElseThrow();
        assertEquals("open", up.responseCode(), "the service that runs: " + up);

        assertTrue(results.samples().stream().noneMatch(sample -> sample.threadName().startsWith("Load ")),
                "load samples ran although the gate failed: " + results.samples());
        assertFalse(results.labelled("Start loopback targets").isEmpty());

        Dashboard dashboard = new Dashboard(run.report());
        String type = "closed/" + (Privileges.isRoot() ? "reset ttl 64" : "conn-refused");
        assertEquals(List.of(new Dashboard.Error(type, 1)), dashboard.errors(),
                "the dashboard's Errors table: the down port's state and reason, once (its container is not counted)");
        Dashboard.Row total = dashboard.statistics().get("Total");
        assertEquals(3, total.samples(), "start, and the two probes; not the gate's container");
        assertEquals(1, total.errors());
        assertEquals(1, dashboard.statistics().get(down.label()).errors());
    }
}
