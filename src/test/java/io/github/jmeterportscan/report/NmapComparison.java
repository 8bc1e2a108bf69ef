package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs real nmap 7.93, reads its XML back into a ScanReport, writes that report with our writers
 * and compares the results (ndiff, xmllint against nmap.dtd, and the text of all formats once dates
 * and elapsed times are blanked).
 */
final class NmapComparison {
    private static final Pattern DATA_FILES = Pattern.compile("(?m)^Read data files from: (.*)$");

    /** One nmap invocation to reproduce; {@code ports} is nmap's -p argument. */
    record Variant(String name, ScanType type, String target, String ports, boolean reason, boolean open,
            int verbosity, List<String> extraOptions) {
        @Override
        public String toString() {
            return name;
        }

        Variant withPorts(String newPorts) {
            return new Variant(name, type, target, newPorts, reason, open, verbosity, extraOptions);
        }
    }

    record Run(ScanReport report, Path nmapXml, Path nmapNormal, Path nmapGrepable, String nmapStdout,
            Path ourXml, Path ourNormal, Path ourGrepable, String ourStdout) {
    }

    private NmapComparison() {
    }

    static void requireTools(ScanType type) {
        Privileges.require(Commands.installed("nmap") && Commands.installed("ndiff")
                && Commands.installed("xmllint"), "nmap, ndiff and xmllint must be installed");
        if (type.isRaw()) {
            Privileges.requireRoot("nmap " + type.option() + " sends raw packets");
        }
    }

    /**
     * @param commandPrefix run nmap under this (e.g. "ip netns exec NS"), or empty
     * @param dir           scratch directory
     */
    static Run run(List<String> commandPrefix, Variant variant, Path dir) throws Exception {
        requireTools(variant.type());
        Path nmapXml = dir.resolve("nmap.xml");
        Path nmapNormal = dir.resolve("nmap.nmap");
        Path nmapGrepable = dir.resolve("nmap.gnmap");

        List<String> args = new ArrayList<>(variant.extraOptions());
        args.addAll(List.of("-n", "-Pn", variant.type().option()));
        if (variant.reason()) {
            args.add("--reason");
        }
        if (variant.open()) {
            args.add("--open");
        }
        if (variant.verbosity() > 0) {
            args.add("-" + "v".repeat(variant.verbosity()));
        }
        args.addAll(List.of("-p", variant.ports(), "-oX", nmapXml.toString(), "-oN", nmapNormal.toString(),
                "-oG", nmapGrepable.toString(), variant.target()));

        List<String> command = new ArrayList<>(commandPrefix);
        command.add("nmap");
        command.addAll(args);
        Commands.Result nmap = Commands.runAllowingFailure(Duration.ofSeconds(120), command);
        assertEquals(0, nmap.exitCode(), () -> "nmap failed: " + nmap.stderr());

        ScanReport report = NmapXmlReader.read(nmapXml, scanned -> TestRequests.request(variant.type(), scanned,
                variant.reason(), variant.open(), variant.verbosity(), List.of(variant.target()), args));
        Matcher dataFiles = DATA_FILES.matcher(Files.readString(nmapNormal));
        ReportWriters writers = writers(dataFiles.find() ? Optional.of(dataFiles.group(1)) : Optional.empty());

        Path ourXml = dir.resolve("ours.xml");
        Path ourNormal = dir.resolve("ours.nmap");
        Path ourGrepable = dir.resolve("ours.gnmap");
        Files.writeString(ourXml, writers.xml().toString(report), StandardCharsets.UTF_8);
        Files.writeString(ourNormal, writers.normal().toString(report), StandardCharsets.UTF_8);
        Files.writeString(ourGrepable, writers.grepable().toString(report), StandardCharsets.UTF_8);
        String ourStdout = writers.interactive().toString(report);
        return new Run(report, nmapXml, nmapNormal, nmapGrepable, nmap.stdout(), ourXml, ourNormal, ourGrepable,
                ourStdout);
    }

    /** Everything must agree; see the class comment. */
    static void assertMatches(Run run, Variant variant) throws Exception {
        Commands.Result ndiff = NmapRunner.ndiff(run.nmapXml(), run.ourXml());
        assertEquals(0, ndiff.exitCode(), () -> "ndiff found differences or failed (exit 1 = differences, "
                + "2 = error):\n" + ndiff.stdout() + ndiff.stderr());

        XmlValidation.assertValid(run.ourXml());

        assertSameText(normalized(run.nmapXml()), normalized(run.ourXml()), "XML");
        assertSameText(normalized(run.nmapNormal()), normalized(run.ourNormal()), "normal output");
        assertSameText(normalized(run.nmapGrepable()), normalized(run.ourGrepable()), "grepable output");
        if (variant.verbosity() == 0) {
            // With -v nmap also prints scan progress, which is not the report's job.
            assertSameText(NmapOutputNormalizer.normalize(run.nmapStdout()),
                    NmapOutputNormalizer.normalize(run.ourStdout()), "terminal output");
        }
    }

    /** Named like nmap so that the recorded command lines can be compared word for word. */
    static ReportWriters writers(Optional<String> dataDirectory) {
        return ReportWriters.of(ServiceTable.system()::listedName,
                        new ProgramIdentity("nmap", "7.93", "https://nmap.org"))
                .withDataDirectory(dataDirectory);
    }

    private static String normalized(Path file) throws IOException {
        return NmapOutputNormalizer.normalize(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Equality with a message that points at the first differing line. */
    static void assertSameText(String expected, String actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int i = 0;
        while (i < e.length && i < a.length && e[i].equals(a[i])) {
            i++;
        }
        String nmapLine = i < e.length ? e[i] : "<end>";
        String ourLine = i < a.length ? a[i] : "<end>";
        assertEquals(expected, actual, what + " differs at line " + (i + 1) + "\n nmap: " + nmapLine
                + "\n ours: " + ourLine + "\n");
    }
}
