package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ScanType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Fields become an nmap command line, which nmap's parser (NmapCommandLine) then checks. */
class ScanSettingsTest {
    private static ScanSettings fields(String targets, String ports, String scanType, String template,
            String maxRetries, String nmapOptions) {
        return new ScanSettings(targets, "", ports, "", scanType, template, maxRetries, "", "", "", "", "", "", "",
                "", "", nmapOptions, "");
    }

    private static ScanRequest request(ScanSettings settings) throws ScanSpecException {
        return NmapCommandLine.parse(settings.toArguments().toArray(String[]::new));
    }

    @Test
    void everyFieldBecomesItsNmapOption() throws Exception {
        ScanSettings all = new ScanSettings("127.0.0.1 ::1", "127.0.0.2 127.0.0.3", "22,80", "", "SYN (-sS)",
                "T4 (aggressive)", "1", "30s", "10", "1000", "500ms", "50ms", "2s", "5ms", "lo", "53", "", "out.xml");
        assertEquals(List.of("-Pn", "-p", "22,80", "-sS", "-T4", "--max-retries", "1", "--host-timeout", "30s",
                "--min-rate", "10", "--max-rate", "1000", "--initial-rtt-timeout", "500ms", "--min-rtt-timeout",
                "50ms", "--max-rtt-timeout", "2s", "--scan-delay", "5ms", "-e", "lo", "-g", "53",
                "--exclude", "127.0.0.2,127.0.0.3", "-oX", "out.xml", "127.0.0.1", "::1"), all.toArguments());
    }

    @Test
    void hostDiscoveryKeepsMinusPnUnlessAskedOtherwise() throws Exception {
        ScanSettings base = fields("127.0.0.1", "22", "", "", "", "");
        assertTrue(request(base).discovery().skip(), "plans saved before the field scan without discovery");
        ScanSettings nmaps = withDiscovery(base, "nmap's (ARP/ND, ICMP, TCP)");
        assertEquals(List.of("-p", "22", "127.0.0.1"), nmaps.toArguments());
        assertFalse(request(nmaps).discovery().skip());
        ScanSettings pingOnly = withDiscovery(base, "ping only (-sn)");
        assertEquals(List.of("-sn", "127.0.0.1"), pingOnly.toArguments(), "a ping scan takes no port option");
        assertTrue(request(pingOnly).discovery().pingOnly());
        ScanSettings ownLine = fields("127.0.0.1", "", "", "", "", "-PS22 -p 22");
        assertEquals(List.of("-PS22", "-p", "22", "127.0.0.1"), ownLine.toArguments(), "the options line decides");
        assertThrows(ScanSpecException.class, () -> withDiscovery(base, "sometimes").toArguments());
    }

    private static ScanSettings withDiscovery(ScanSettings s, String mode) {
        return new ScanSettings(s.targets(), s.exclude(), s.ports(), s.topPorts(), s.scanType(), s.timingTemplate(),
                s.maxRetries(), s.hostTimeout(), s.minRate(), s.maxRate(), s.initialRttTimeout(), s.minRttTimeout(),
                s.maxRttTimeout(), s.scanDelay(), s.networkInterface(), s.sourcePort(), s.nmapOptions(), s.xmlFile(),
                mode);
    }

    @Test
    void parsedRequestCarriesTheFields() throws Exception {
        ScanRequest r = request(fields("127.0.0.1", "22,80", "connect (-sT)", "T2", "3", ""));
        assertEquals(Optional.of(ScanType.CONNECT), r.scanType());
        assertEquals("22,80", r.ports().toRangeString());
        assertEquals(3, r.timing().maxRetries());
        assertEquals(List.of("127.0.0.1"), r.targets());
        assertEquals(Optional.empty(), request(fields("127.0.0.1", "22", "auto", "default", "", "")).scanType());
        assertEquals(Optional.of(ScanType.ACK), request(fields("127.0.0.1", "22", "ACK (-sA)", "", "", "")).scanType());
    }

    @Test
    void theOptionsLineReplacesTheOptionFieldsButNotTheTargets() throws Exception {
        ScanSettings s = fields("127.0.0.1", "1-1000", "connect (-sT)", "T1", "9", "-sS -p '22,443' -T4 --max-retries 1");
        assertEquals(List.of("-Pn", "-sS", "-p", "22,443", "-T4", "--max-retries", "1", "127.0.0.1"), s.toArguments());
        ScanRequest r = request(s);
        assertEquals(Optional.of(ScanType.SYN), r.scanType());
        assertEquals(OptionalInt.empty(), r.sourcePort());
        assertEquals(1, r.timing().maxRetries());
    }

    @Test
    void badValuesGetNmapsMessages() {
        assertEquals("Ports specified must be between 0 and 65535 inclusive",
                assertThrows(ScanSpecException.class, () -> request(fields("127.0.0.1", "70000", "", "", "", "")))
                        .getMessage());
        ScanSpecException retries = assertThrows(ScanSpecException.class,
                () -> request(fields("127.0.0.1", "22", "", "", "-1", "")));
        assertEquals(true, retries.getMessage().contains("max-retries"), retries.getMessage());
        assertThrows(ScanSpecException.class, () -> request(fields("127.0.0.1", "22", "", "T9", "", "")));
        assertEquals("Unknown scan type \"UDP\"; use auto, SYN (-sS), connect (-sT) or ACK (-sA)",
                assertThrows(ScanSpecException.class, () -> fields("x", "", "UDP", "", "", "").toArguments())
                        .getMessage());
        assertThrows(ScanSpecException.class, () -> fields("x", "", "", "", "", "-p '22").toArguments());
    }

    @Test
    void optionWordsFollowShellQuoting() throws Exception {
        assertEquals(List.of("-oX", "a b.xml", "-p", "22", "x\"y", "it's"),
                CommandLineWords.split(" -oX \"a b.xml\"  -p 22 'x\"y' it\\'s "));
    }

    @Test
    void granularityAcceptsTagsAndWords() throws Exception {
        assertEquals(Granularity.PORT, Granularity.parse("per port"));
        assertEquals(Granularity.HOST, Granularity.parse(" HOST "));
        assertEquals(Granularity.SCAN, Granularity.parse(""));
        assertThrows(ScanSpecException.class, () -> Granularity.parse("per packet"));
    }
}
