package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapPort;
import io.github.jmeterportscan.testsupport.NmapXml;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty command-line scans at once, each its own process with its own capture on the same
 * interface, IPv4 and IPv6 mixed, every port of the lab's plan: each must report every port as
 * the lab has it. Each capture sees every other scan's probes and replies; only its own count.
 */
class CliConcurrencyIT {
    private static final Path LAUNCHER = Path.of("target", "portscan");
    private static final String PREFIX = "ps-cconc-";
    private static final int PROCESSES = 50;

    @TempDir
    Path dir;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(PREFIX, () -> NetnsLab.builder()
            .subnets("198.18.65.0/24", "2001:db8:65::/64").plan(LabLayouts.standard()));

    @BeforeAll
    static void requireLauncher() {
        assertTrue(Files.isExecutable(LAUNCHER), "run after 'package': " + LAUNCHER.toAbsolutePath());
    }

    @Test
    void fiftyScansAtOnceEachReportTheLabsTruth() throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                IpFamily family = p % 2 == 0 ? IpFamily.V4 : IpFamily.V6;
                Path xml = dir.resolve("scan-" + p + ".xml");
                outputs.add(xml);
                List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "-sS", "-Pn", "-n", "-T4",
                        "-p" + LAB.lab().plan().nmapPortList(), "-oX", xml.toString()));
                if (family == IpFamily.V6) {
                    command.add("-6");
                }
                command.add(LAB.lab().target(family).getHostAddress());
                processes.add(Commands.start(new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(dir.resolve("scan-" + p + ".err").toFile())));
            }
            for (int p = 0; p < PROCESSES; p++) {
                Process process = processes.get(p);
                int scan = p;
                assertTrue(process.waitFor(180, TimeUnit.SECONDS), "scan " + p + " finished");
                assertEquals(0, process.exitValue(), () -> "scan exit status; stderr: " + stderr(scan));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        List<String> wrong = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            IpFamily family = p % 2 == 0 ? IpFamily.V4 : IpFamily.V6;
            InetAddress target = LAB.lab().target(family);
            Map<Integer, Expectation> expected = LAB.lab().plan().expected(ScanType.SYN, family);
            Map<Integer, NmapPort> ports = NmapXml.parse(outputs.get(p)).host(target).tcp();
            assertEquals(expected.keySet(), ports.keySet(), "scan " + p + " reports every port");
            for (Map.Entry<Integer, Expectation> entry : expected.entrySet()) {
                NmapPort got = ports.get(entry.getKey());
                if (!entry.getValue().accepts(got.state(), got.reason())) {
                    wrong.add("scan " + p + " " + family + " port " + entry.getKey() + ": expected " + entry.getValue()
                            + ", got " + got.state() + "/" + got.reason());
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong ports in " + PROCESSES + " concurrent scans: " + wrong);
    }

    private String stderr(int p) {
        File file = dir.resolve("scan-" + p + ".err").toFile();
        try {
            return Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
