package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A plan whose expectation does not hold must fail the headless run: src/test/jmeter/failing/ holds the
 * reachability gate with one service down. Its gate sample fails (so the plugin's results goal, which fails the
 * build on any error sample, would reject it), the setUp thread group stops the test before the load starts, and
 * JMeter still exits by itself although the tearDown never ran.
 */
class FailingPlanIT {

    @Test
    void serviceDownFailsTheGateAndNoLoadRuns() throws Exception {
        Path plan = ItPaths.projectDir().resolve("src/test/jmeter/failing/reachability-gate-service-down.jmx");
        HeadlessRun run = HeadlessRun.run(AssembledJMeter.locate(), plan, ItPaths.outputDir().resolve("failing"),
                false, Map.of(), Duration.ofMinutes(1));
        ResultsFile results = run.resultsFile();

        List<ResultsFile.Sample> failures = results.failures();
        assertEquals(1, failures.size(), "exactly the gate must fail: " + results.samples());
        ResultsFile.Sample gate = failures.get(0);
        assertEquals("Gate: service ports open", gate.label());
        assertTrue(gate.failureMessage().matches("expected every port open, but \\d+/tcp is closed"),
                "the failure names the port that is down: " + gate.failureMessage());
        assertEquals("1", gate.variable("portscan_closed_count").orElse("unset"));

        assertTrue(results.samples().stream().noneMatch(sample -> sample.threadName().startsWith("Load ")),
                "load samples ran although the gate failed: " + results.samples());
        assertFalse(results.labelled("Start loopback targets").isEmpty());
    }
}
