package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real nmap 7.93 against loopback listeners this test opens, reads nmap's XML back into
 * a ScanReport, writes that report with our writers and compares: ndiff must see no difference,
 * xmllint must accept our XML against nmap.dtd, and normal, grepable and XML text must equal
 * nmap's once dates and elapsed times are blanked.
 */
class NmapComparisonTest {
    private static final Pattern DATA_FILES = Pattern.compile("(?m)^Read data files from: (.*)$");
    private static final List<ServerSocket> LISTENERS = new ArrayList<>();
    private static String v4Listeners;
    private static String v6Listeners;

    @TempDir
    Path dir;

    /** One nmap invocation to reproduce. */
    record Variant(String name, ScanType type, String target, String ports, boolean reason, boolean open,
            int verbosity, List<String> extraOptions) {
        @Override
        public String toString() {
            return name;
        }

        boolean ipv6() {
            return target.contains(":");
        }
    }

    @BeforeAll
    static void openListeners() throws IOException {
        StringBuilder v4 = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            LISTENERS.add(socket);
            v4.append(',').append(socket.getLocalPort());
        }
        v4Listeners = v4.toString();
        ServerSocket v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
        LISTENERS.add(v6);
        v6Listeners = "," + v6.getLocalPort();
    }

    @AfterAll
    static void closeListeners() throws IOException {
        for (ServerSocket socket : LISTENERS) {
            socket.close();
        }
    }

    static Stream<Variant> variants() {
        return Stream.of(
                new Variant("syn", ScanType.SYN, "127.0.0.1", "1-200", false, false, 0, List.of()),
                new Variant("syn-reason-closed-shown", ScanType.SYN, "127.0.0.1", "1-20", true, false, 0, List.of()),
                new Variant("syn-v", ScanType.SYN, "127.0.0.1", "1-45", false, false, 1, List.of()),
                new Variant("syn-vv", ScanType.SYN, "127.0.0.1", "1-70", false, false, 2, List.of()),
                new Variant("syn-open", ScanType.SYN, "127.0.0.1", "1-20", false, true, 0, List.of()),
                new Variant("syn-all-ignored", ScanType.SYN, "127.0.0.1", "1-100", false, false, 0, List.of()),
                new Variant("syn-named", ScanType.SYN, "localhost", "1-100", true, false, 0, List.of()),
                new Variant("syn-ipv6", ScanType.SYN, "::1", "1-100", false, false, 0, List.of("-6")),
                new Variant("connect", ScanType.CONNECT, "127.0.0.1", "1-200", true, false, 0, List.of()),
                new Variant("connect-open", ScanType.CONNECT, "127.0.0.1", "1-200", false, true, 0, List.of()),
                new Variant("ack", ScanType.ACK, "127.0.0.1", "1-30", false, false, 0, List.of()),
                new Variant("ack-shown", ScanType.ACK, "127.0.0.1", "1-10", true, false, 0, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void ourOutputMatchesNmaps(Variant variant) throws Exception {
        Run run = runNmapAndRewrite(variant);

        ExternalTool.Result ndiff = ExternalTool.run(
                List.of("ndiff", run.nmapXml.toString(), run.ourXml.toString()), 60);
        assertEquals(0, ndiff.exitCode(), () -> "ndiff found differences or failed (exit 1 = differences, "
                + "2 = error):\n" + ndiff.stdout() + ndiff.stderr());

        XmlValidation.assertValid(run.ourXml);

        assertSameText(normalized(run.nmapXml), normalized(run.ourXml), "XML");
        assertSameText(normalized(run.nmapNormal), normalized(run.ourNormal), "normal output");
        assertSameText(normalized(run.nmapGrepable), normalized(run.ourGrepable), "grepable output");
        if (variant.verbosity() == 0) {
            // With -v nmap also prints scan progress, which is not the report's job.
            assertSameText(NmapOutputNormalizer.normalize(run.nmapStdout),
                    NmapOutputNormalizer.normalize(run.ourStdout), "terminal output");
        }
    }

    /** Guards against a vacuous pass: ndiff must notice a port we changed. */
    @Test
    void ndiffSeesAChangedPort() throws Exception {
        Variant variant = new Variant("connect", ScanType.CONNECT, "127.0.0.1", "1-50", false, false, 0, List.of());
        Run run = runNmapAndRewrite(variant);
        ScanReport changed = flipFirstOpenPort(run.report);
        Path changedXml = dir.resolve("changed.xml");
        Files.writeString(changedXml, writers(Optional.empty()).xml().toString(changed));

        ExternalTool.Result ndiff = ExternalTool.run(
                List.of("ndiff", run.nmapXml.toString(), changedXml.toString()), 60);
        assertEquals(1, ndiff.exitCode(), () -> ndiff.stdout() + ndiff.stderr());
    }

    private static ScanReport flipFirstOpenPort(ScanReport report) {
        HostResult host = report.hosts().get(0);
        List<PortResult> ports = new ArrayList<>();
        boolean flipped = false;
        for (PortResult port : host.ports()) {
            if (!flipped && port.state() == PortState.OPEN) {
                ports.add(new PortResult(port.port(), PortState.FILTERED, Reason.NO_RESPONSE, 0, PortResult.NO_RTT));
                flipped = true;
            } else {
                ports.add(port);
            }
        }
        HostResult changed = new HostResult(host.target(), ports, host.startEpochMillis(), host.endEpochMillis(),
                host.timedOut(), host.times());
        return new ScanReport(report.request(), report.scanType(), report.notes(), List.of(changed),
                report.startEpochMillis(), report.endEpochMillis());
    }

    private record Run(ScanReport report, Path nmapXml, Path nmapNormal, Path nmapGrepable, String nmapStdout,
            Path ourXml, Path ourNormal, Path ourGrepable, String ourStdout) {
    }

    private Run runNmapAndRewrite(Variant variant) throws Exception {
        Privileges.require(ExternalTool.installed("nmap") && ExternalTool.installed("ndiff")
                && ExternalTool.installed("xmllint"), "nmap, ndiff and xmllint must be installed");
        if (variant.type().isRaw()) {
            Privileges.requireRoot("nmap " + variant.type().option() + " sends raw packets");
        }
        Path nmapXml = dir.resolve("nmap.xml");
        Path nmapNormal = dir.resolve("nmap.nmap");
        Path nmapGrepable = dir.resolve("nmap.gnmap");
        String ports = variant.ports() + (variant.ipv6() ? v6Listeners : v4Listeners);

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
        args.addAll(List.of("-p", ports, "-oX", nmapXml.toString(), "-oN", nmapNormal.toString(),
                "-oG", nmapGrepable.toString(), variant.target()));

        List<String> command = new ArrayList<>(List.of("nmap"));
        command.addAll(args);
        ExternalTool.Result nmap = ExternalTool.run(command, 120);
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

    /** Named like nmap so that the recorded command lines can be compared word for word. */
    private static ReportWriters writers(Optional<String> dataDirectory) {
        return ReportWriters.of(NmapServicesFile.load(), new ProgramIdentity("nmap", "7.93", "https://nmap.org"))
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
