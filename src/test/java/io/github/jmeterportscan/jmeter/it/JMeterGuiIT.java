package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Smoke test of the GUI a person sees: the assembled JMeter opens an example plan on a virtual display (Xvfb),
 * the test tree shows the plan, and the panels of the Port Scan (Nmap) sampler and the Port State Assertion render
 * their grouped fields with labels and descriptions. {@link GuiProbeAgent}, loaded into JMeter, reads the window and
 * takes a screenshot of the display per selected element; the screenshots stay under target/jmeter-it/gui/&lt;plan&gt;/
 * as build artifacts.
 */
class JMeterGuiIT {

    private static final String SAMPLER = "io.github.jmeterportscan.jmeter.PortScanSampler";
    private static final String ASSERTION = "io.github.jmeterportscan.jmeter.PortStateAssertion";

    /**
     * What each kind of element's panel must show ("kind text", kinds as GuiProbeAgent writes them: group is a
     * titled border, i.e. a TestBean property group; tip is a tooltip, where a TestBean panel shows a property's
     * description, compared by its start). The texts are those of the elements' resource bundles.
     */
    private static final Map<String, List<String>> PANEL_TEXTS = Map.of(
            SAMPLER, List.of("label Port Scan (Nmap)", "label Name:",
                    "group Targets", "group Ports", "group Scan", "group Timing", "group Interface",
                    "group Expectation", "group Result", "group Packet-level view",
                    "group Nmap options (override the fields above)",
                    "label Targets:", "label Exclude:", "label Ports:", "label Top ports:", "label Scan type:",
                    "label Timing template:", "label Max retries:", "label Host timeout:", "label Min rate:",
                    "label Max rate:", "label Initial RTT timeout:", "label Min RTT timeout:", "label Max RTT timeout:",
                    "label Scan delay:", "label Interface:", "label Source port:", "label Expected states:",
                    "label Samples:", "label Variable prefix:", "label Save nmap XML to:", "label Packet trace:",
                    "label Save packets to:", "label nmap options:",
                    "tip Hosts to scan, blank-separated, in nmap's syntax",
                    "tip Ports to scan (nmap -p)",
                    "tip auto = SYN scan when raw packets are allowed",
                    "tip When the sample succeeds.",
                    "tip per scan: one sample; per host: one sub-sample per host; per port:"),
            ASSERTION, List.of("label Port State Assertion", "label Name:", "group Expected port states",
                    "label Expected states:", "label Baseline nmap XML:", "tip Entries separated by commas"));

    /** The panel label the probe rests the mouse on: both elements describe their expectation field there. */
    private static final String HOVER = "Expected states:";

    /** The start of the tooltip (the property's description) each kind of element shows on {@link #HOVER}. */
    private static final Map<String, String> HOVER_TIP = Map.of(
            SAMPLER, "When the sample succeeds. A state for every port",
            // the angle brackets are escaped: JMeter renders descriptions as HTML
            ASSERTION, "Entries separated by commas, semicolons or lines: &lt;ports&gt;=&lt;states&gt;");

    /** One plan to open: its tree as JMeter shows it (depth and name), the elements to select, the values shown. */
    record Case(String plan, List<String> tree, List<String> select, Map<String, List<String>> values) {
        @Override
        public String toString() {
            return plan;
        }
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of(new Case("jmx-examples/reachability-gate.jmx",
                        List.of("0 Reachability gate",
                                "1 setUp: start the service, then gate",
                                "2 Start loopback targets",
                                "2 Gate: service ports open",
                                "1 Load",
                                "2 GET /",
                                "2 Think time",
                                "1 tearDown: stop targets",
                                "2 Stop loopback targets"),
                        List.of("Gate: service ports open"),
                        Map.of("Gate: service ports open", List.of("field ${HOST}",
                                "field ${__P(portscan.example.ports.service)}", "choice auto", "choice T4 (aggressive)",
                                "field open", "choice per port")))),
                Arguments.of(new Case("jmx-examples/firewall-matrix.jmx",
                        List.of("0 Firewall matrix",
                                "1 setUp: start targets",
                                "2 Start loopback targets",
                                "1 Matrix",
                                "2 Firewall matrix rows",
                                "2 ${check}",
                                "3 Expect the state in the matrix",
                                "1 tearDown: stop targets",
                                "2 Stop loopback targets"),
                        List.of("${check}", "Expect the state in the matrix"),
                        Map.of("${check}", List.of("field ${__P(${port_property})}", "choice per port"),
                                "Expect the state in the matrix", List.of("field ${expected}")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void thePlanAndItsPortScanPanelsRender(Case plan) throws Exception {
        Privileges.require(Xvfb.installed(), "Xvfb is not installed (apt-get install xvfb)");
        AssembledJMeter jmeter = AssembledJMeter.locate();
        String name = Path.of(plan.plan()).getFileName().toString().replaceFirst("\\.jmx$", "");
        Path out = ItPaths.outputDir().resolve("gui").resolve(name);
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
                            "-Dportscan.guiprobe.select=" + String.join("|", plan.select()),
                            "-Dportscan.guiprobe.hover=" + HOVER, "-Dportscan.guiprobe.timeoutMillis=90000"),
                    List.of("-t", ItPaths.projectDir().resolve(plan.plan()).toString(),
                            "-j", out.resolve("jmeter.log").toString()),
                    Map.of())
                    .redirectErrorStream(true).redirectOutput(out.resolve("console.txt").toFile());
            gui.environment().put("DISPLAY", xvfb.display());
            Process process = Commands.start(gui);
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
                Commands.stop(process);
            }
        }

        List<GuiProbe.Fact> facts = GuiProbe.read(report);
        facts.stream().filter(fact -> fact.kind().equals("error")).findFirst()
                .ifPresent(error -> fail("GUI probe failed: " + error.field(0)));
        assertEquals("done", facts.get(facts.size() - 1).kind(), "probe report incomplete");

        List<String> tree = facts.stream().filter(fact -> fact.kind().equals("tree"))
                .map(fact -> fact.field(0) + " " + fact.field(1)).toList();
        assertEquals(plan.tree(), tree, "the test tree JMeter shows for " + plan.plan());

        for (String element : plan.select()) {
            String elementClass = facts.stream()
                    .filter(fact -> fact.kind().equals("selected") && fact.field(0).equals(element))
                    .map(fact -> fact.field(1)).findFirst()
                    .orElseThrow(() -> new AssertionError(element + " not selected"));
            Set<String> shown = facts.stream()
                    .filter(fact -> fact.kind().equals("text") && fact.field(0).equals(element))
                    .map(fact -> fact.field(1) + " " + fact.field(2)).collect(Collectors.toSet());
            List<String> expected = PANEL_TEXTS.get(elementClass);
            if (expected == null) {
                fail("no panel expectation for " + elementClass + " (add one to PANEL_TEXTS); it shows " + shown);
            }
            List<String> wanted = new ArrayList<>(expected);
            wanted.addAll(plan.values().getOrDefault(element, List.of()));
            Set<String> missing = new HashSet<>();
            for (String text : wanted) {
                boolean present = text.startsWith("tip ")
                        ? shown.stream().anyMatch(s -> s.startsWith(text))
                        : shown.contains(text);
                if (!present) {
                    missing.add(text);
                }
            }
            assertTrue(missing.isEmpty(), "panel of '" + element + "' lacks " + missing + "; it shows " + shown);

            Path screenshot = Path.of(facts.stream()
                    .filter(fact -> fact.kind().equals("screenshot") && fact.field(0).equals(element))
                    .map(fact -> fact.field(1)).findFirst().orElseThrow());
            assertPainted(screenshot);

            String tip = facts.stream()
                    .filter(fact -> fact.kind().equals("tooltip") && fact.field(0).equals(element))
                    .map(fact -> fact.field(2)).findFirst()
                    .orElseThrow(() -> new AssertionError("no tooltip showed on '" + HOVER + "' of " + element));
            assertTrue(tip.startsWith(HOVER_TIP.get(elementClass)), "tooltip of '" + HOVER + "': " + tip);
            for (String kind : List.of("screenshot-tooltip", "screenshot-end")) {
                facts.stream().filter(fact -> fact.kind().equals(kind) && fact.field(0).equals(element))
                        .map(fact -> Path.of(fact.field(1))).findFirst().ifPresent(JMeterGuiIT::assertPainted);
            }
        }
    }

    /** A real picture of the display: full size, and far more than a blank screen's one or two colours. */
    private static void assertPainted(Path screenshot) {
        BufferedImage image;
        try {
            image = ImageIO.read(screenshot.toFile());
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + screenshot, e);
        }
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
