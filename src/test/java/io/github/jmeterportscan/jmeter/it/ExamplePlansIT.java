package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every plan in jmx-examples/ runs headless in the assembled JMeter without a single error sample, its Port Scan
 * samplers scan (per port: a container row and one row per probe labelled host:port/tcp), and its dashboard counts
 * each probe once and plots the port-state graphs. This is what {@code ./mvnw -Pexamples verify} checks through the
 * plugin (no error samples), kept in the plain {@code verify} (and so in CI) with shorter load phases and more
 * checks; the examples profile skips this class and runs the plans itself.
 */
class ExamplePlansIT {

    private static final List<String> STATES = List.of("open", "closed", "filtered");

    /** The scan samplers of each plan (their container rows) and the other labels the plan must have produced. */
    private static final Map<String, List<String>> SCANS = Map.of(
            "reachability-gate", List.of("Gate: service ports open"),
            "syn-backlog-watch", List.of("Probe: web port"),
            "firewall-matrix", List.of("app port is open", "admin port is open",
                    "retired legacy port is closed or filtered"));
    private static final Map<String, List<String>> OTHER_LABELS = Map.of(
            "reachability-gate", List.of("GET /", "Stop loopback targets"),
            "syn-backlog-watch", List.of("GET /", "Stop loopback targets"),
            "firewall-matrix", List.of("Stop loopback targets"));

    /**
     * The reason column tells the scan method: a raw SYN scan reports the TTL of the reply that decided the port
     * ("syn-ack ttl 64"), a connect scan has no packet to read it from ("syn-ack", "conn-refused").
     */
    private static final Pattern SYN_REASON = Pattern.compile("(syn-ack|reset) ttl \\d+");
    private static final Pattern CONNECT_REASON = Pattern.compile("syn-ack|conn-refused");

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
        String name = plan.getFileName().toString().replaceFirst("\\.jmx$", "");

        assertFalse(results.samples().isEmpty(), "no samples from " + plan);
        assertEquals(List.of(), results.failures(), "error samples in " + plan + " (log: " + run.log() + ")");
        for (String label : OTHER_LABELS.getOrDefault(name, List.of())) {
            assertFalse(results.labelled(label).isEmpty(), "no '" + label + "' sample in " + plan);
        }

        List<ResultsFile.Scan> scans = results.scans();
        List<String> scanners = SCANS.getOrDefault(name, List.of());
        assertFalse(scanners.isEmpty(), "ExamplePlansIT does not know the scan samplers of " + plan + " (add to SCANS)");
        for (String scanner : scanners) {
            assertTrue(scans.stream().anyMatch(scan -> scan.container().label().equals(scanner)),
                    "no per-port scan '" + scanner + "' in " + plan + ": " + results.samples());
        }
        assertProbeRows(plan, results, scans);
        assertScanVariables(plan, scans);
        assertDashboard(plan, run, results);
    }

    /** Every probe has its own row labelled host:port/tcp with its state and reason, inside a container. */
    private static void assertProbeRows(Path plan, ResultsFile results, List<ResultsFile.Scan> scans) {
        Pattern reason = Privileges.isRoot() ? SYN_REASON : CONNECT_REASON;
        long probeRows = results.samples().stream().filter(ResultsFile.Sample::isProbe).count();
        assertEquals(probeRows, scans.stream().mapToLong(scan -> scan.probes().size()).sum(),
                "every host:port/tcp row of " + plan + " belongs to one scan container, and every container row"
                        + " is followed by its probes");
        for (ResultsFile.Scan scan : scans) {
            assertFalse(scan.probes().isEmpty(), "scan without probes: " + scan.container());
            for (ResultsFile.Sample probe : scan.probes()) {
                assertTrue(probe.isProbe(), "probe row of '" + scan.container().label() + "' is labelled '"
                        + probe.label() + "', not host:port/tcp");
                assertTrue(STATES.contains(probe.responseCode()), "state of " + probe + ": " + probe.responseCode());
                assertTrue(reason.matcher(probe.responseMessage()).matches(), "reason of " + probe + " ("
                        + (Privileges.isRoot() ? "root: SYN scan" : "unprivileged: connect scan") + "): "
                        + probe.responseMessage());
            }
            // the container's response code sums its probes up: "open" for one port, "open=2" for two open ones
            Map<String, Long> states = scan.probes().stream()
                    .collect(Collectors.groupingBy(ResultsFile.Sample::responseCode, Collectors.counting()));
            String expectedCode = scan.probes().size() == 1 ? scan.probes().get(0).responseCode()
                    : STATES.stream().filter(states::containsKey).map(s -> s + "=" + states.get(s))
                            .collect(Collectors.joining(" "));
            assertEquals(expectedCode, scan.container().responseCode(), "container of " + scan.probes());
        }
    }

    /** The count variables (sample_variables columns) are those of the scan the row belongs to. */
    private static void assertScanVariables(Path plan, List<ResultsFile.Scan> scans) {
        for (ResultsFile.Scan scan : scans) {
            for (String state : STATES) {
                long count = scan.probes().stream().filter(p -> p.responseCode().equals(state)).count();
                assertEquals(String.valueOf(count), scan.container().variable("portscan_" + state + "_count")
                        .orElse("unset"), "portscan_" + state + "_count of " + scan.container() + " in " + plan);
            }
        }
    }

    /**
     * The dashboard counts each probe once: its Total is every row except the containers (which JMeter leaves out
     * as it does Transaction Controller samples), each probe label has exactly its rows, and the custom graphs of
     * open, closed and filtered counts have points.
     */
    private static void assertDashboard(Path plan, HeadlessRun run, ResultsFile results) throws IOException {
        assertTrue(Files.isRegularFile(run.report().resolve("index.html")), "no dashboard for " + plan);
        Dashboard dashboard = new Dashboard(run.report());
        Map<String, Dashboard.Row> statistics = dashboard.statistics();
        long containers = results.samples().stream().filter(ResultsFile.Sample::isContainer).count();
        assertEquals(results.samples().size() - containers, statistics.get("Total").samples(),
                "Total of " + plan + "'s dashboard: every row but the " + containers + " containers");
        Map<String, Long> probeRows = results.samples().stream().filter(ResultsFile.Sample::isProbe)
                .collect(Collectors.groupingBy(ResultsFile.Sample::label, Collectors.counting()));
        probeRows.forEach((label, rows) -> assertEquals(rows, statistics.get(label) == null ? -1
                : statistics.get(label).samples(), "dashboard statistics of " + label + " in " + plan));

        String page = Files.readString(run.report().resolve("content/pages/CustomsGraphs.html"));
        for (String state : STATES) {
            assertTrue(page.contains("custom_portscan_" + state), "dashboard of " + plan + " lacks the " + state
                    + "-ports graph");
            assertFalse(dashboard.customGraph("portscan_" + state + "_count").isEmpty(), "the " + state
                    + "-ports graph of " + plan + " has no points");
        }
        // each point is the mean over the rows of one second (here, scans of one or two ports, most of them open)
        double maxOpen = dashboard.customGraph("portscan_open_count").stream().mapToDouble(p -> p[1]).max().orElse(0);
        assertTrue(maxOpen > 0, "the open-ports graph of " + plan + " never shows an open port");
    }
}
