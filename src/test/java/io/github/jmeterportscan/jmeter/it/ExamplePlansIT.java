package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every plan in jmx-examples/ runs headless in the assembled JMeter without a single error sample, scans at least
 * once (the port-state sample variables reach the results file) and yields a dashboard with the port-state graphs.
 * This is what {@code ./mvnw -Pexamples verify} checks through the plugin, kept in the plain {@code verify} (and so
 * in CI) with shorter load phases; the examples profile skips this class and runs the plans itself.
 */
class ExamplePlansIT {

    private static final List<String> STATE_VARIABLES =
            List.of("portscan_open_count", "portscan_closed_count", "portscan_filtered_count");

    /** Labels each plan must have produced, beyond "no errors": its point, not just its absence of failure. */
    private static final Map<String, List<String>> EXPECTED_LABELS = Map.of(
            "reachability-gate", List.of("Gate: service ports open", "GET /", "Stop loopback targets"),
            "syn-backlog-watch", List.of("Probe: web port", "GET /", "Stop loopback targets"),
            "firewall-matrix", List.of("app port is open", "admin port is open",
                    "retired legacy port stays closed", "Stop loopback targets"));

    /** Short load phases: CI checks that the plans work, the examples profile shows them at full length. */
    private static final Map<String, String> SHORT_RUN = Map.of("portscan.example.duration_s", "4");

    @TestFactory
    Stream<DynamicTest> everyExamplePlanPassesHeadless() throws IOException {
        AssembledJMeter jmeter = AssembledJMeter.locate();
        Path examples = ItPaths.projectDir().resolve("jmx-examples");
        List<Path> plans;
        try (Stream<Path> files = Files.list(examples)) {
            plans = files.filter(path -> path.toString().endsWith(".jmx")).sorted().toList();
        }
        assertFalse(plans.isEmpty(), "no plans in " + examples);
        return plans.stream().map(plan -> DynamicTest.dynamicTest(plan.getFileName().toString(),
                () -> runsClean(jmeter, plan)));
    }

    private static void runsClean(AssembledJMeter jmeter, Path plan) throws Exception {
        HeadlessRun run = HeadlessRun.run(jmeter, plan, ItPaths.outputDir().resolve("examples"), true, SHORT_RUN,
                Duration.ofMinutes(2));
        ResultsFile results = run.resultsFile();

        assertFalse(results.samples().isEmpty(), "no samples from " + plan);
        assertEquals(List.of(), results.failures(), "error samples in " + plan + " (log: " + run.log() + ")");

        String name = plan.getFileName().toString().replaceFirst("\\.jmx$", "");
        for (String label : EXPECTED_LABELS.getOrDefault(name, List.of())) {
            assertFalse(results.labelled(label).isEmpty(), "no '" + label + "' sample in " + plan);
        }

        boolean scanned = results.samples().stream()
                .anyMatch(sample -> STATE_VARIABLES.stream().allMatch(v -> sample.variable(v).isPresent()));
        assertTrue(scanned, "no sample of " + plan + " carries " + STATE_VARIABLES
                + ": jmx-examples/user.properties (sample_variables) or the scan sampler is not wired");

        Path customGraphs = run.report().resolve("content/pages/CustomsGraphs.html");
        assertTrue(Files.isRegularFile(run.report().resolve("index.html")), "no dashboard for " + plan);
        String page = Files.readString(customGraphs);
        for (String state : List.of("open", "closed", "filtered")) {
            assertTrue(page.contains("custom_portscan_" + state), "dashboard of " + plan + " lacks the " + state
                    + "-ports graph (" + customGraphs + ")");
        }
    }
}
