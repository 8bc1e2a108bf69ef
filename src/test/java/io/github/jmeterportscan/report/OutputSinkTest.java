package io.github.jmeterportscan.report;

import static io.github.jmeterportscan.report.SyntheticReports.closedExcept;
import static io.github.jmeterportscan.report.SyntheticReports.host;
import static io.github.jmeterportscan.report.SyntheticReports.report;
import static io.github.jmeterportscan.report.SyntheticReports.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.net.InetAddress;
import io.github.jmeterportscan.spec.OutputFiles;
import io.github.jmeterportscan.spec.ServiceTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSinkTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final PrintStream stdout = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    private final ReportWriters writers =
            ReportWriters.of(ServiceTable.system()::listedName, ProgramIdentity.PORTSCAN).withZone(ZoneOffset.UTC);

    private ScanReport sample() throws Exception {
        return report(request(100, 0, false, false, List.of("-p", "1-100", "127.0.0.1")),
                List.of("raw access unavailable, falling back to connect scan"),
                host("127.0.0.1", Optional.empty(), closedExcept(100, 22, 80), false));
    }

    @Test
    void writesEachRequestedFileAndTheTerminal() throws Exception {
        ScanReport report = sample();
        String base = dir.resolve("scan").toString();
        try (OutputSink sink = writers.open(OutputFiles.NONE.withAll(base), stdout)) {
            assertTrue(sink.printsToTerminal());
            sink.start(report.header());
            sink.finish(report);
        }
        assertEquals(writers.normal().toString(report), Files.readString(Path.of(base + ".nmap")));
        assertEquals(writers.xml().toString(report), Files.readString(Path.of(base + ".xml")));
        assertEquals(writers.grepable().toString(report), Files.readString(Path.of(base + ".gnmap")));
        // Banner printed at start, the rest at the end: together exactly the interactive report.
        assertEquals(writers.interactive().toString(report), terminal.toString(StandardCharsets.UTF_8));
        String text = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Starting portscan "), text);
        assertTrue(text.contains("\nraw access unavailable, falling back to connect scan\n"), text);
    }

    @Test
    void aFormatOnStdoutReplacesTheTerminalOutput() throws Exception {
        ScanReport report = sample();
        try (OutputSink sink = writers.open(OutputFiles.NONE.withGrepable("-"), stdout)) {
            assertFalse(sink.printsToTerminal());
            sink.start(report.header());
            sink.finish(report);
        }
        assertEquals(writers.grepable().toString(report), terminal.toString(StandardCharsets.UTF_8));
    }

    /**
     * Each host is on disk (not in a buffer) as soon as it and the hosts before it are done, and
     * the document written in pieces is the one written whole.
     */
    @Test
    void eachHostIsWrittenWhenItIsDoneInTargetOrder() throws Exception {
        HostResult first = host("127.0.0.1", Optional.empty(), closedExcept(100, 22), false);
        HostResult second = host("127.0.0.2", Optional.empty(), closedExcept(100, 80), false);
        ScanReport report = report(request(100, 1, false, false, List.of("-v", "-p", "1-100")), List.of(),
                first, second);
        String base = dir.resolve("scan").toString();
        try (OutputSink sink = writers.open(OutputFiles.NONE.withAll(base), stdout)) {
            sink.start(report.header());
            for (String suffix : List.of(".nmap", ".gnmap", ".xml")) {
                String header = Files.readString(Path.of(base + suffix));
                assertTrue(header.startsWith(suffix.equals(".xml") ? "<?xml" : "# Nmap 7.93 scan initiated"), header);
            }
            sink.host(1, second);
            assertFalse(Files.readString(Path.of(base + ".nmap")).contains("127.0.0.2"), "waits for 127.0.0.1");
            sink.host(0, first);
            String normal = Files.readString(Path.of(base + ".nmap"));
            assertTrue(normal.indexOf("report for 127.0.0.1") < normal.indexOf("report for 127.0.0.2"), normal);
            assertTrue(Files.readString(Path.of(base + ".xml")).contains("<address addr=\"127.0.0.2\""));
            assertTrue(Files.readString(Path.of(base + ".gnmap")).contains("Host: 127.0.0.2 ()\tPorts: 80/open"));
            assertTrue(terminal.toString(StandardCharsets.UTF_8).contains("report for 127.0.0.2"));
            assertFalse(normal.contains("# Nmap done"), normal);
            sink.finish(report);
        }
        assertEquals(writers.normal().toString(report), Files.readString(Path.of(base + ".nmap")));
        assertEquals(writers.xml().toString(report), Files.readString(Path.of(base + ".xml")));
        assertEquals(writers.grepable().toString(report), Files.readString(Path.of(base + ".gnmap")));
        assertEquals(writers.interactive().toString(report), terminal.toString(StandardCharsets.UTF_8));
        XmlValidation.assertValid(Path.of(base + ".xml"));
    }

    /**
     * An interrupted scan: the host done before the interruption as it was, the one being scanned
     * with the ports decided so far, and closing lines in every format that name the interruption.
     */
    @Test
    void anInterruptedScanEndsEveryOutputSayingSo() throws Exception {
        HostResult done = host("127.0.0.1", Optional.empty(), closedExcept(100, 22), false);
        HostResult cut = new HostResult(new Target(InetAddress.getByName("127.0.0.2"), Optional.empty()),
                closedExcept(40, 22), SyntheticReports.START + 100, SyntheticReports.START + 900, false,
                HostTimes.UNKNOWN, Optional.empty(), true);
        ScanReport finished = report(request(100, 1, false, false, List.of("-v", "-p", "1-100")), List.of(),
                done, cut);
        ScanReport interrupted = finished.interruptedBy("SIGINT");
        String base = dir.resolve("cut").toString();
        try (OutputSink sink = writers.open(OutputFiles.NONE.withAll(base), stdout)) {
            sink.start(interrupted.header());
            sink.host(0, done);
            sink.finish(interrupted);
        }
        Path xml = Path.of(base + ".xml");
        XmlValidation.assertValid(xml);
        NmapRun run = NmapXml.parse(xml);
        assertEquals("error", run.exit());
        assertEquals("Scan interrupted by SIGINT before it finished", run.errorMsg());
        assertEquals(2, run.hosts().size());
        assertEquals(100, run.host("127.0.0.1").tcp().size());
        assertEquals(40, run.host("127.0.0.2").tcp().size(), "only the decided ports");
        String text = Files.readString(xml);
        assertTrue(text.contains("comment=\"Scan interrupted with 40 of 100 ports decided\""), text);
        assertTrue(text.contains("summary=\"Nmap interrupted at Wed Nov 25 09:08:07 2026 by SIGINT; 2 IP addresses "
                + "(2 hosts up) scanned in 1.53 seconds (1 host incomplete)\""), text);
        // -v: the task ends, in nmap's layout, before the first host, which was done in time.
        assertTrue(text.indexOf("<taskend") < text.indexOf("<host "), text);

        String normal = Files.readString(Path.of(base + ".nmap"));
        assertTrue(normal.contains("\nScan interrupted with 40 of 100 ports decided; the others are not listed.\n"),
                normal);
        assertTrue(normal.endsWith("\n# Nmap interrupted at Wed Nov 25 09:08:07 2026 by SIGINT -- 2 IP addresses "
                + "(2 hosts up) scanned in 1.53 seconds (1 host incomplete)\n"), normal);
        String grepable = Files.readString(Path.of(base + ".gnmap"));
        assertTrue(grepable.contains("\n# 127.0.0.2: Scan interrupted with 40 of 100 ports decided\n"), grepable);
        assertTrue(grepable.endsWith("\n# Nmap interrupted at Wed Nov 25 09:08:07 2026 by SIGINT -- 2 IP addresses "
                + "(2 hosts up) scanned in 1.53 seconds (1 host incomplete)\n"), grepable);
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertTrue(shown.endsWith("\nNmap interrupted by SIGINT: 2 IP addresses (2 hosts up) scanned in 1.53 seconds "
                + "(1 host incomplete)\n"), shown);
        // Written in pieces or whole, the same documents.
        assertEquals(writers.xml().toString(interrupted), text);
        assertEquals(writers.normal().toString(interrupted), normal);
    }

    @Test
    void anUnwritablePathFailsWhenOpeningWithNmapsMessage() {
        String path = dir.resolve("missing/dir/out.xml").toString();
        ReportException e = assertThrows(ReportException.class,
                () -> writers.open(OutputFiles.NONE.withNormal(dir.resolve("ok.nmap").toString()).withXml(path),
                        stdout));
        assertEquals("Failed to open XML output file " + path + " for writing: No such file or directory",
                e.getMessage());
    }
}
