package io.github.jmeterportscan.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares our parser with the installed nmap 7.93 on the same command lines. nmap is run with -n
 * and either -sL (list scan: no packet is sent) or against 127.0.0.1 only.
 */
class NmapDifferentialTest {
    private static final Pattern SERVICES = Pattern.compile("<scaninfo [^>]*services=\"([^\"]*)\"");
    private static final Pattern REPORT = Pattern.compile("^Nmap scan report for (\\S+)", Pattern.MULTILINE);
    private static final Pattern TIMING = Pattern.compile(
            "rtt-timeouts: init (\\d+), min (\\d+), max (\\d+)\\s+max-scan-delay: TCP (\\d+).*?"
                    + "max-retries: (\\d+), host-timeout: (\\d+)\\s+min-rate: ([\\d.]+), max-rate: ([\\d.]+)",
            Pattern.DOTALL);

    private static List<String> split(String line) {
        return new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
    }

    /** The port set nmap reports in XML scaninfo for a connect scan of loopback. */
    @ParameterizedTest
    @ValueSource(strings = {
        "-p 22,80,443", "-p 1-1024,[1025-2000]", "-p http*,ssh", "-p ft?,T:25", "-p -100,65530-",
        "-F", "--top-ports 20", "--top-ports 50 -p 1-1000", "-p 0,1-10 --exclude-ports 5-7",
        "--exclude-ports 1-1000", "-p U:53,T:22"})
    void portSetMatchesNmapScaninfo(String options) throws Exception {
        List<String> args = split("-Pn -sT --max-retries 0 -oX - " + options + " 127.0.0.1");
        NmapProcess.Output nmap = NmapProcess.run(args);
        Matcher m = SERVICES.matcher(nmap.stdout());
        assertTrue(m.find(), () -> "no scaninfo from nmap: " + nmap.stdout() + nmap.stderr());

        ScanRequest ours = NmapCommandLine.parse(split("-n " + String.join(" ", args)).toArray(String[]::new));

        assertEquals(m.group(1), ours.ports().toRangeString(), options);
    }

    /** The hosts nmap's list scan names, in order, for target expressions and excludes. */
    @ParameterizedTest
    @ValueSource(strings = {
        "198.18.0-1.1-3 --exclude 198.18.0.2",
        "198.18.0.1/30 198.18.0.2 198.18.0.0/31",
        "198.18.1.*/30 --exclude 198.18.1.0/31",
        "198.18.0,2.-2 198.18.5.250-",
        "198.18.3.7/29 --exclude 198.18.3.1,198.18.3.3-4",
        "localhost/31 localhost",
        "-6 2001:db8::/126 ::1 2001:db8::5/128",
        "-6 2001:db8:0:1::/125 --exclude 2001:db8:0:1::/126",
        "-6 2001:db8::ff/300"})
    void targetExpansionMatchesNmapListScan(String line) throws Exception {
        List<String> args = split("-sL " + line);
        NmapProcess.Output nmap = NmapProcess.run(args);
        List<String> expected = new ArrayList<>();
        Matcher m = REPORT.matcher(nmap.stdout());
        while (m.find()) {
            expected.add(m.group(1));
        }

        ScanRequest request = parseListScan(line);
        TargetExpansion ours = new TargetExpander().expand(request);
        List<String> actual = ours.targets().stream().map(t -> t.userHostname().orElse(t.addressString())).toList();

        assertEquals(expected, actual, line);
    }

    /** Messages nmap prints for target expressions it skips. */
    @ParameterizedTest
    @ValueSource(strings = {"::1", "-6 127.0.0.1", "198.18.0.1/x", "198.18.0.1/40", "nosuch.invalid 198.18.0.1",
        "1.2.3-", "-"})
    void targetMessagesMatchNmap(String line) throws Exception {
        List<String> args = split("-sL " + line);
        if (line.equals("-")) {
            args = List.of("-sL", "-");
        }
        NmapProcess.Output nmap = NmapProcess.run(args);
        List<String> expected = new ArrayList<>(nmap.errorLines());
        expected.remove(TargetExpansion.NO_TARGETS_WARNING);

        TargetExpansion ours = new TargetExpander().expand(parseListScan(line));

        assertEquals(expected, ours.messages(), line);
    }

    /** -sL is refused by our parser (it is not a port scan); parse the rest of the line. */
    private static ScanRequest parseListScan(String line) throws ScanSpecException {
        List<String> args = split("-n " + line);
        if (line.equals("-")) {
            args = List.of("-n", "--", "-");
        }
        return NmapCommandLine.parse(args.toArray(String[]::new));
    }

    /** nmap -d prints its timing values; a list scan sends nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"-T0", "-T1", "-T2", "-T3", "-T4", "-T5", "-Tinsane", "-T4 -T2",
        "-T5 --max-retries 4 --host-timeout 2m", "--max-rtt-timeout 200ms -T4", "--min-rtt-timeout 2s",
        "--initial-rtt-timeout 50ms", "--scan-delay 2s", "--scan-delay 5s --max-scan-delay 3s",
        "--min-rate 10.5 --max-rate 100", "-T11", "-T42"})
    void timingMatchesNmapTimingReport(String options) throws Exception {
        NmapProcess.Output nmap = NmapProcess.run(split("-d -sL " + options + " 127.0.0.1"));
        Matcher m = TIMING.matcher(nmap.stdout());
        assertTrue(m.find(), () -> "no timing report: " + nmap.stdout());

        Timing t = NmapCommandLine.parse(split(options + " 127.0.0.1").toArray(String[]::new)).timing();

        assertEquals(Long.parseLong(m.group(1)), t.initialRtt().toMillis(), "init " + options);
        assertEquals(Long.parseLong(m.group(2)), t.minRtt().toMillis(), "min " + options);
        assertEquals(Long.parseLong(m.group(3)), t.maxRtt().toMillis(), "max " + options);
        assertEquals(Long.parseLong(m.group(4)), t.maxScanDelay().toMillis(), "max-scan-delay " + options);
        assertEquals(Integer.parseInt(m.group(5)), t.maxRetries(), "retries " + options);
        assertEquals(Long.parseLong(m.group(6)), t.hostTimeout().toMillis(), "host-timeout " + options);
        assertEquals(Double.parseDouble(m.group(7)), t.minRate(), 1e-6, "min-rate " + options);
        assertEquals(Double.parseDouble(m.group(8)), t.maxRate(), 1e-6, "max-rate " + options);
    }

    /**
     * Command lines nmap rejects before scanning: our message must be nmap's first error line
     * (getopt's two-line messages included).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "-p 70000", "-p ,22", "-p 22abc", "-p 22-x", "-p 22,x:1", "-p 30-20", "-p nosuchservice", "-p HTTP",
        "-p T:", "-p ]", "-p [[1]]", "-p 22 -p 23", "-F -p 23", "-p 1-5 --exclude-ports 1-5,x",
        "--top-ports 0", "--top-ports 1.5", "-T6", "-Tfoo", "--max-retries -1", "--host-timeout 20000000",
        "--host-timeout -5", "--scan-delay 200000", "--scan-delay x", "--max-scan-delay 100000",
        "--max-rtt-timeout 60000", "--max-rtt-timeout 3ms", "--min-rtt-timeout 50000", "--initial-rtt-timeout 0",
        "--min-rate 0", "--max-rate abc", "--min-rate 10 --max-rate 5", "-sS -sT", "-sB", "-sx", 
        "-vx", "-ddx", "-4 -6", "--foo", "-x", "--excl x", "--open=3", "-oA -", "-oN -x",
        "-o Nfile", "--exclude 127.0.0.1/x", "--exclude 127.0.0.2/40", "-iL /nonexistent/file",
        "--excludefile /nonexistent/file", "-oH x", "--exclude-ports 1 --exclude-ports 2"})
    void errorMessagesMatchNmap(String options) throws Exception {
        List<String> args = split("-sT -Pn " + options + " 127.0.0.1");
        NmapProcess.Output nmap = NmapProcess.run(args);
        assertTrue(nmap.exitCode() != 0, () -> "nmap accepted " + options + ": " + nmap.stdout());
        List<String> lines = nmap.errorLines();
        String expected = lines.get(0).startsWith("nmap: ") ? lines.get(0) + "\n" + lines.get(1) : lines.get(0);

        String[] ours = split("-n " + String.join(" ", args)).toArray(String[]::new);
        // nmap reads --exclude when it starts expanding targets; so do we
        String actual = options.startsWith("--exclude ")
                ? assertThrows(ScanSpecException.class,
                        () -> new TargetExpander().expand(NmapCommandLine.parse(ours))).getMessage()
                : assertThrows(ScanSpecException.class, () -> NmapCommandLine.parse(ours), options).getMessage();
        assertEquals(expected, actual, options);
    }
}
