package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sampler works without privileges: the reachability gate runs headless in the assembled JMeter as user
 * {@code nobody} (runuser), in a results folder only nobody can write. Scan type auto then falls back to a connect
 * scan, the gate's response data says so (the engine's note and "Scan type: Connect Scan (-sT)"), the probes carry
 * the connect scan's reasons, and the plan passes as it does as root.
 */
class UnprivilegedRunIT {

    private static final String USER = "nobody";

    @Test
    void theGatePassesAsNobodyWithAConnectScanAndSaysSo() throws Exception {
        Privileges.requireRoot("switches to user nobody with runuser");
        AssembledJMeter jmeter = AssembledJMeter.locate();
        Path dir = ItPaths.outputDir().resolve("unprivileged");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        // nobody needs to reach the folder (target/ is root's, world-readable) and owns it, with no access for others
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        Files.setOwner(dir, nobody);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path plan = Files.copy(ItPaths.projectDir().resolve("jmx-examples/reachability-gate.jmx"),
                dir.resolve("reachability-gate.jmx"), StandardCopyOption.REPLACE_EXISTING);
        Files.setOwner(plan, nobody);
        Path results = dir.resolve("results.xml");
        Path log = dir.resolve("jmeter.log");

        List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        ProcessBuilder jmeterProcess = jmeter.process(List.of("-Djava.awt.headless=true"),
                List.of("-n", "-t", plan.toString(), "-l", results.toString(), "-j", log.toString()),
                Map.of("portscan.example.duration_s", "2",
                        // XML results keep the response data, where the sampler says which scan ran
                        "jmeter.save.saveservice.output_format", "xml",
                        "jmeter.save.saveservice.response_data", "true"));
        command.addAll(jmeterProcess.command());
        Path console = ItPaths.outputDir().resolve("unprivileged-console.txt");
        Process process = Commands.start(new ProcessBuilder(command).directory(jmeterProcess.directory())
                .redirectErrorStream(true).redirectOutput(console.toFile()));
        try {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "JMeter as nobody did not finish; see " + console);
        } finally {
            Commands.stop(process);
        }
        String output = Files.readString(console, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "JMeter as nobody failed:\n" + output);
        assertEquals(USER, Files.getOwner(results).getName(), "the results were written by JMeter running as nobody");

        XmlResults samples = XmlResults.read(results);
        List<XmlResults.Sample> failed = samples.all().filter(s -> !s.success()).toList();
        assertEquals(List.of(), failed, "failed samples as nobody (log: " + log + ")");
        assertTrue(samples.all().anyMatch(s -> s.label().equals("GET /")), "the load ran after the gate");

        XmlResults.Sample gate = samples.all().filter(s -> s.label().equals("Gate: service ports open")).findFirst()
                .orElseThrow(() -> new AssertionError("no gate sample: " + samples.samples()));
        assertTrue(gate.data().contains("Using a TCP connect scan (-sT) instead of a SYN scan."),
                "the gate's response data explains the fallback:\n" + gate.data());
        assertTrue(gate.data().contains("Scan type: Connect Scan (-sT)\n"), "and names the scan:\n" + gate.data());
        assertEquals(2, gate.children().size(), "one sub-sample per service port: " + gate.children());
        for (XmlResults.Sample probe : gate.children()) {
            assertTrue(ResultsFile.PROBE_LABEL.matcher(probe.label()).matches(), "probe label " + probe.label());
            assertEquals("open", probe.code(), probe.toString());
            // a connect scan learns "open" from connect() itself: no reply packet, so no TTL in the reason
            assertEquals("syn-ack", probe.message(), probe.toString());
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
