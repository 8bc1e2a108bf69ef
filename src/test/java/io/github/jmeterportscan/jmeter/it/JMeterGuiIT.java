package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jmeterportscan.testsupport.Privileges;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the GUI a person sees: the assembled JMeter opens an example plan on a virtual display (Xvfb),
 * the test tree shows the plan, and the scan element's panel renders its fields. {@link GuiProbeAgent}, loaded into
 * JMeter, reads the window and takes a screenshot of the display per selected element; the screenshots stay under
 * target/jmeter-it/gui/ as build artifacts.
 */
class JMeterGuiIT {

    private static final String PLAN = "jmx-examples/reachability-gate.jmx";

    /** The plan's tree as JMeter shows it: depth and element name, in order. */
    private static final List<String> EXPECTED_TREE = List.of(
            "0 Reachability gate",
            "1 setUp: start the service, then gate",
            "2 Start loopback targets",
            "2 Gate: service ports open",
            "3 Expect open",
            "1 Load",
            "2 GET /",
            "2 Think time",
            "1 tearDown: stop targets",
            "2 Stop loopback targets");

    /** Elements to select, each checked against {@link #PANEL_TEXTS} by the class of its test element. */
    private static final List<String> SELECT = List.of("Gate: service ports open", "Expect open");

    /**
     * What each kind of element's panel must show ("kind text", kinds as GuiProbeAgent writes them: group is a
     * titled border, i.e. a TestBean property group). When the Port Scan sampler replaces the JSR223 stand-in in
     * the plan, add its entry with its group titles and field labels from its resource bundle.
     */
    private static final Map<String, List<String>> PANEL_TEXTS = Map.of(
            "org.apache.jmeter.protocol.java.sampler.JSR223Sampler",
            List.of("label JSR223 Sampler", "label Name:", "label Parameters:", "label Script:",
                    "group Parameters passed to script (exposed as 'Parameters' (type String) and 'args' (type String[]))"),
            "org.apache.jmeter.assertions.JSR223Assertion",
            List.of("label JSR223 Assertion", "label Name:", "label Parameters:", "field open"));

    @Test
    void theExamplePlanAndItsScanPanelRender() throws Exception {
        Privileges.require(Xvfb.installed(), "Xvfb is not installed (apt-get install xvfb)");
        AssembledJMeter jmeter = AssembledJMeter.locate();
        Path out = ItPaths.outputDir().resolve("gui");
        if (Files.exists(out)) {
            try (var old = Files.list(out)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(out);
        Path agent = GuiProbe.agentJar(ItPaths.outputDir().resolve("gui-probe-agent.jar"));
        Path report = out.resolve("probe.txt");

        try (Xvfb xvfb = Xvfb.start(out.resolve("xvfb.log"), Duration.ofSeconds(20))) {
            ProcessBuilder gui = jmeter.process(
                    List.of("-javaagent:" + agent, "-Dportscan.guiprobe.out=" + out,
                            "-Dportscan.guiprobe.select=" + String.join("|", SELECT),
                            "-Dportscan.guiprobe.timeoutMillis=90000"),
                    List.of("-t", ItPaths.projectDir().resolve(PLAN).toString(), "-j", out.resolve("jmeter.log").toString()),
                    Map.of())
                    .redirectErrorStream(true).redirectOutput(out.resolve("console.txt").toFile());
            gui.environment().put("DISPLAY", xvfb.display());
            Process process = gui.start();
            try {
                long deadline = System.currentTimeMillis() + Duration.ofSeconds(120).toMillis();
                while (!Files.exists(report) && process.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(250);
                }
                if (!Files.exists(report)) {
                    fail("the GUI probe reported nothing (JMeter " + (process.isAlive() ? "still running" : "exited")
                            + "); see " + out.resolve("console.txt") + " and " + out.resolve("jmeter.log"));
                }
            } finally {
                Processes.stop(process);
            }
        }

        List<GuiProbe.Fact> facts = GuiProbe.read(report);
        facts.stream().filter(fact -> fact.kind().equals("error")).findFirst()
                .ifPresent(error -> fail("GUI probe failed: " + error.field(0)));
        assertEquals("done", facts.get(facts.size() - 1).kind(), "probe report incomplete");

        List<String> tree = facts.stream().filter(fact -> fact.kind().equals("tree"))
                .map(fact -> fact.field(0) + " " + fact.field(1)).toList();
        assertEquals(EXPECTED_TREE, tree, "the test tree JMeter shows for " + PLAN);

        for (String name : SELECT) {
            String elementClass = facts.stream()
                    .filter(fact -> fact.kind().equals("selected") && fact.field(0).equals(name))
                    .map(fact -> fact.field(1)).findFirst().orElseThrow(() -> new AssertionError(name + " not selected"));
            Set<String> shown = facts.stream()
                    .filter(fact -> fact.kind().equals("text") && fact.field(0).equals(name))
                    .map(fact -> fact.field(1) + " " + fact.field(2)).collect(Collectors.toSet());
            List<String> expected = PANEL_TEXTS.get(elementClass);
            if (expected == null) {
                fail("no panel expectation for " + elementClass + " (add one to PANEL_TEXTS); it shows " + shown);
            }
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(shown);
            assertTrue(missing.isEmpty(), "panel of '" + name + "' lacks " + missing + "; it shows " + shown);

            Path screenshot = Path.of(facts.stream()
                    .filter(fact -> fact.kind().equals("screenshot") && fact.field(0).equals(name))
                    .map(fact -> fact.field(1)).findFirst().orElseThrow());
            assertPainted(screenshot);
        }
    }

    /** A real picture of the display: full size, and far more than a blank screen's one or two colours. */
    private static void assertPainted(Path screenshot) throws Exception {
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertEquals(1600, image.getWidth(), "screenshot width " + screenshot);
        assertEquals(1000, image.getHeight(), "screenshot height " + screenshot);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 50, "screenshot looks blank (" + colours.size() + " colours): " + screenshot);
    }
}
