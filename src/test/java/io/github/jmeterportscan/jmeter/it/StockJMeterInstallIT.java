package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The install as README.md gives it: the release zip unpacked over a JMeter 5.6.3 that has nothing of ours
 * ({@link StockJMeter}), then the reachability gate from bin/examples/portscan run headless from there. Also with an
 * old jna-3.5.2.jar already in lib/ (as an old WebDriver plugin leaves it), which JMeter puts on the class path ahead
 * of jna-5.17.0.jar: the scan falls back to a connect scan and the sample and the log name the jar to remove; once
 * it is removed, the SYN scan is back.
 */
class StockJMeterInstallIT {

    private static final String GATE = "Gate: service ports open";
    private static final String PLAN = "bin/examples/portscan/reachability-gate.jmx";
    private static final Pattern SYN_REASON = Pattern.compile("syn-ack ttl \\d+");
    private static final String FALLBACK = "Using a TCP connect scan (-sT) instead of a SYN scan.";
    /** The jar the message says to remove, up to the sentence's end. */
    private static final Pattern REMOVE = Pattern.compile("remove (/\\S+\\.jar)\\. ");

    @Test
    void theReleaseUnpackedOverAStockJMeterRunsTheExampleGate() throws Exception {
        ReleaseZip release = ReleaseZip.locate();
        Path dir = ItPaths.outputDir().resolve("install/stock");
        AssembledJMeter jmeter = StockJMeter.copy(AssembledJMeter.locate(), release, dir.resolve("jmeter"));

        assertUnpackingAddsOnly(release, jmeter.home());
        release.unpackOver(jmeter.home(), dir.resolve("unzip.txt"));

        Run run = Run.of(jmeter, dir.resolve("run"));
        assertGatePassed(run, Privileges.isRoot());
        if (Privileges.isRoot()) {
            assertFalse(run.log().contains("Raw packet access is not available"), "no fallback as root:\n" + run.log());
        }
    }

    @Test
    void anOldJnaInLibIsNamedForRemovalAndRemovingItBringsTheSynScanBack() throws Exception {
        ReleaseZip release = ReleaseZip.locate();
        Path dir = ItPaths.outputDir().resolve("install/old-jna");
        AssembledJMeter jmeter = StockJMeter.copy(AssembledJMeter.locate(), release, dir.resolve("jmeter"));
        Path oldJna = Files.copy(oldJnaJar(), jmeter.home().resolve("lib/jna-3.5.2.jar"));
        release.unpackOver(jmeter.home(), dir.resolve("unzip.txt"));
        assertTrue(Files.isRegularFile(jmeter.home().resolve("lib/jna-5.17.0.jar")), "the zip's JNA is in lib/ too");

        Run withOldJna = Run.of(jmeter, dir.resolve("run-with-old-jna"));
        XmlResults.Sample gate = assertGatePassed(withOldJna, false);
        String expected = "the class path gives JNA 3.5.2 from " + oldJna + ", an older copy ahead of "
                + jmeter.home().resolve("lib/jna-5.17.0.jar") + " (JMeter loads lib/ in name order): remove " + oldJna
                + ". " + FALLBACK;
        assertTrue(gate.data().contains(expected), "the gate's response data names the jar to remove:\n" + gate.data());
        List<String> warnings = withOldJna.log().lines()
                .filter(line -> line.contains(" WARN ") && line.contains(expected)).toList();
        assertEquals(1, warnings.size(), "one WARN line in jmeter.log names the jar:\n" + withOldJna.log());

        Matcher remove = REMOVE.matcher(gate.data());
        assertTrue(remove.find(), gate.data());
        Files.delete(Path.of(remove.group(1)));
        Run withoutIt = Run.of(jmeter, dir.resolve("run-without-old-jna"));
        assertGatePassed(withoutIt, Privileges.isRoot());
    }

    /** Unpacking adds files and replaces none of JMeter's, and brings no library JMeter has in another version. */
    private static void assertUnpackingAddsOnly(ReleaseZip release, Path home) throws IOException {
        for (String name : release.files()) {
            assertFalse(Files.exists(home.resolve(name)), "the zip would replace JMeter's " + name);
        }
        List<String> jmeterLibs;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            jmeterLibs = jars.map(jar -> jar.getFileName().toString()).toList();
        }
        for (String lib : release.filesIn("lib/")) {
            String artifact = lib.replaceFirst("-\\d[^-]*\\.jar$", "");
            assertTrue(jmeterLibs.stream().noneMatch(jar -> jar.matches(Pattern.quote(artifact) + "-\\d.*\\.jar")),
                    "JMeter already ships " + artifact + ": " + jmeterLibs);
        }
    }

    /**
     * No sample failed, and the gate is one container with a sub-sample per service port, each open; a SYN scan
     * gives the reply's TTL in the reason, a connect scan has no packet to read it from.
     */
    private static XmlResults.Sample assertGatePassed(Run run, boolean synScan) throws IOException {
        XmlResults results = XmlResults.read(run.results());
        assertEquals(List.of(), results.all().filter(s -> !s.success()).toList(), "failed samples; log: " + run.dir());
        XmlResults.Sample gate = results.all().filter(s -> s.label().equals(GATE)).findFirst()
                .orElseThrow(() -> new AssertionError("no gate sample: " + results.samples()));
        assertEquals(2, gate.children().size(), "one sub-sample per service port: " + gate.children());
        for (XmlResults.Sample probe : gate.children()) {
            assertTrue(ResultsFile.PROBE_LABEL.matcher(probe.label()).matches(), "probe label " + probe.label());
            assertEquals("open", probe.code(), probe.toString());
            if (synScan) {
                assertTrue(SYN_REASON.matcher(probe.message()).matches(), "SYN scan reason: " + probe);
            } else {
                assertEquals("syn-ack", probe.message(), "connect scan reason: " + probe);
            }
        }
        String scanType = synScan ? "Scan type: SYN Stealth Scan (-sS)\n" : "Scan type: Connect Scan (-sT)\n";
        assertTrue(gate.data().contains(scanType), "the gate's response data names the scan:\n" + gate.data());
        assertTrue(results.all().anyMatch(s -> s.label().equals("GET /")), "the load ran after the gate");
        return gate;
    }

    private static Path oldJnaJar() {
        Path jar = Path.of(System.getProperty("portscan.it.oldJna", "target/test-jars/jna-3.5.2.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it (run ./mvnw verify)");
        }
        return jar;
    }

    /** The example gate run headless from the JMeter home it was unpacked into, results as XML with response data. */
    private record Run(Path dir, Path results, String log) {
        static Run of(AssembledJMeter jmeter, Path dir) throws IOException, InterruptedException {
            StockJMeter.deleteRecursively(dir);
            Files.createDirectories(dir);
            Path results = dir.resolve("results.xml");
            Path log = dir.resolve("jmeter.log");
            Path console = dir.resolve("console.txt");
            List<String> arguments = new ArrayList<>(List.of("-n", "-t", jmeter.home().resolve(PLAN).toString(),
                    "-l", results.toString(), "-j", log.toString()));
            Process process = Commands.start(jmeter.process(List.of("-Djava.awt.headless=true"), arguments,
                    Map.of("portscan.example.duration_s", "2",
                            "jmeter.save.saveservice.output_format", "xml",
                            "jmeter.save.saveservice.response_data", "true"))
                    .redirectErrorStream(true).redirectOutput(console.toFile()));
            try {
                assertTrue(process.waitFor(2, TimeUnit.MINUTES), "JMeter did not finish; see " + console);
            } finally {
                Commands.stop(process);
            }
            assertEquals(0, process.exitValue(), "JMeter failed:\n" + Files.readString(console, StandardCharsets.UTF_8));
            return new Run(dir, results, Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
