package io.github.jmeterportscan.report;

import static io.github.jmeterportscan.report.SyntheticReports.closedExcept;
import static io.github.jmeterportscan.report.SyntheticReports.host;
import static io.github.jmeterportscan.report.SyntheticReports.report;
import static io.github.jmeterportscan.report.SyntheticReports.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.ScanReport;
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
            sink.start(report.startEpochMillis());
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
            sink.start(report.startEpochMillis());
            sink.finish(report);
        }
        assertEquals(writers.grepable().toString(report), terminal.toString(StandardCharsets.UTF_8));
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
