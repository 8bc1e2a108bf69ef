package io.github.jmeterportscan.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Grammar forms and behaviour that need no nmap process. */
class SpecUnitTest {
    private final ServiceTable bundled = ServiceTable.bundled();
    private final PortSpecParser parser = new PortSpecParser(bundled);

    @Test
    void portGrammarForms() throws Exception {
        assertEquals("1-100", parser.parse("-100").tcp().toRangeString());
        assertEquals("65000-65535", parser.parse("65000-").tcp().toRangeString());
        assertEquals("1-65535", parser.parse("-").tcp().toRangeString());
        assertEquals("0,5", parser.parse("0, 5").tcp().toRangeString());
        assertEquals("22", parser.parse("T:22,U:53").tcp().toRangeString());
        assertEquals(1, parser.parse("T:22,U:53").otherProtocolPorts());
        PortSet listed = parser.parse("[20-30]").tcp(); // only ports with a service entry
        for (int p = 20; p <= 30; p++) {
            assertEquals(bundled.contains(p, "tcp"), listed.contains(p), "port " + p);
        }
        assertTrue(listed.size() > 0 && listed.size() < 11);
        assertEquals("22", parser.parse("22,").tcp().toRangeString());
        assertEquals(1, parser.parse("22,22").warnings().size());
    }

    @Test
    void serviceNamesAndGlobsComeFromTheTable() throws Exception {
        int http = 80;
        assertEquals("http", bundled.nameOf(http));
        assertEquals(ServiceTable.UNKNOWN, bundled.nameOf(4));
        PortSet globbed = parser.parse("ft?").tcp();
        assertTrue(globbed.stream().allMatch(p -> Wildcard.matches("ft?", bundled.nameOf(p))));
        assertTrue(globbed.contains(21));
        assertTrue(parser.parse("HTTP*".toLowerCase()).tcp().contains(http));
    }

    @Test
    void bundledTableRanksCommonPortsFirstAndDefaultsToAllItsPorts() throws Exception {
        int[] ranked = bundled.tcpPortsByFrequency();
        assertEquals(80, ranked[0]);
        PortSelection.Result fast = new PortSelection(bundled).select(java.util.Optional.empty(), true,
                java.util.OptionalInt.empty(), java.util.Optional.empty());
        assertEquals(Math.min(100, bundled.tcpCount()), fast.ports().size());
    }

    @Test
    void wildcardMatchesLikeNmap() {
        assertTrue(Wildcard.matches("*", ""));
        assertTrue(Wildcard.matches("h*p", "http"));
        assertTrue(Wildcard.matches("H?TP", "http"));
        assertFalse(Wildcard.matches("?", ""));
        assertFalse(Wildcard.matches("http?", "http"));
    }

    @Test
    void timeSpecUnits() {
        assertEquals(1500, TimeSpec.toMillis("1.5"));
        assertEquals(250, TimeSpec.toMillis("250ms"));
        assertEquals(120_000, TimeSpec.toMillis("2m"));
        assertEquals(3_600_000, TimeSpec.toMillis("1H"));
        assertEquals(TimeSpec.INVALID, TimeSpec.toMillis("5x"));
        assertTrue(TimeSpec.hasUnit("5s"));
        assertFalse(TimeSpec.hasUnit("5"));
    }

    @Test
    void optionSpellingsAreEquivalent() throws Exception {
        ScanRequest a = NmapCommandLine.parse("-p22", "--max-retries=2", "-sS", "127.0.0.1");
        ScanRequest b = NmapCommandLine.parse("-p", "22", "-max-retries", "2", "-s" + "S", "127.0.0.1");
        ScanRequest c = NmapCommandLine.parse("127.0.0.1", "--max-ret", "2", "-p", "22", "--", "-sS");
        assertEquals(a.ports(), b.ports());
        assertEquals(a.timing(), b.timing());
        assertEquals(a.scanType(), b.scanType());
        assertEquals(List.of("127.0.0.1", "-sS"), c.targets());
    }

    @Test
    void onlyNmapsDefaultRetryCapMayYieldToMeasuredLoss() throws Exception {
        assertTrue(NmapCommandLine.parse("-sS", "127.0.0.1").timing().retriesFollowLoss());
        assertTrue(NmapCommandLine.parse("-T3", "127.0.0.1").timing().retriesFollowLoss());
        assertTrue(NmapCommandLine.parse("-T2", "127.0.0.1").timing().retriesFollowLoss());
        Timing given = NmapCommandLine.parse("--max-retries", "10", "127.0.0.1").timing();
        assertFalse(given.retriesFollowLoss());
        assertEquals(10, given.maxRetries());
        assertFalse(NmapCommandLine.parse("-T4", "127.0.0.1").timing().retriesFollowLoss());
        assertFalse(NmapCommandLine.parse("-T5", "127.0.0.1").timing().retriesFollowLoss());
        // a later -T3 leaves -T4's values in place, its cap included (nmap's option order)
        assertFalse(NmapCommandLine.parse("-T4", "-T3", "127.0.0.1").timing().retriesFollowLoss());
    }

    @Test
    void requestFields() throws Exception {
        ScanRequest r = NmapCommandLine.parse("-6", "-sA", "-g", "53", "-e", "lo", "-r", "-n", "-R", "-Pn", "--open",
                "-vv", "--packet-trace", "-oA", "out", "--exclude", "::2,::3", "::1");
        assertTrue(r.ipv6());
        assertEquals(ScanType.ACK, r.scanType().orElseThrow());
        assertEquals(53, r.sourcePort().getAsInt());
        assertEquals("lo", r.interfaceName().orElseThrow());
        assertFalse(r.randomizePorts());
        assertFalse(r.resolveNames());
        assertTrue(r.openOnly() && r.packetTrace() && r.showReason());
        assertEquals(2, r.verbosity());
        assertEquals("out.xml", r.outputs().xml().orElseThrow());
        assertEquals(List.of("::2", "::3"), r.excludes());
        assertEquals(1000, r.ports().size());
        assertTrue(NmapCommandLine.parse().targets().isEmpty());
    }

    @Test
    void unsupportedOptionsSaySo() {
        for (String opt : new String[] {"-sU", "-sV", "-O", "-A", "--script=default", "-PU", "-PY"}) {
            ScanSpecException e = org.junit.jupiter.api.Assertions.assertThrows(ScanSpecException.class,
                    () -> NmapCommandLine.parse(opt, "127.0.0.1"), opt);
            assertTrue(e.getMessage().contains("not supported by this scanner"), e.getMessage());
        }
    }

    @Test
    void discoveryOptionsAreNmaps() throws Exception {
        assertEquals(HostDiscovery.DEFAULT, NmapCommandLine.parse("127.0.0.1").discovery());
        assertTrue(NmapCommandLine.parse("-Pn", "127.0.0.1").discovery().skip());
        ScanRequest pingOnly = NmapCommandLine.parse("-sn", "127.0.0.1");
        assertTrue(pingOnly.discovery().pingOnly());
        assertEquals(0, pingOnly.ports().size(), "a ping scan scans no port");
        HostDiscovery named = NmapCommandLine.parse("-PS22,80", "-PA", "-PP", "--disable-arp-ping", "127.0.0.1")
                .discovery();
        assertEquals(new HostDiscovery(false, false, false, true, List.of(22, 80), List.of(80), false, false), named);
        assertEquals(List.of(22, 80), named.connectPorts());
        assertEquals(List.of(80, 443), HostDiscovery.DEFAULT.connectPorts());
        assertEquals("You cannot use -F (fast scan) or -p (explicit port selection) when not doing a port scan",
                org.junit.jupiter.api.Assertions.assertThrows(ScanSpecException.class,
                        () -> NmapCommandLine.parse("-sn", "-p", "22", "127.0.0.1")).getMessage());
        assertEquals("Only one -PS option is allowed. Combine port ranges with commas.",
                org.junit.jupiter.api.Assertions.assertThrows(ScanSpecException.class,
                        () -> NmapCommandLine.parse("-PS22", "-PS23", "127.0.0.1")).getMessage());
    }

    @Test
    void hostnameTargetsCarryTheNameOnlyOnTheResolvedAddress() throws Exception {
        TargetExpansion e = new TargetExpander().expand(List.of("lab4.test/31", "lab6.test"), List.of(), false, 0);
        assertEquals(2, e.targets().size());
        assertTrue(e.targets().get(0).userHostname().isEmpty());
        assertEquals("lab4.test", e.targets().get(1).userHostname().orElseThrow());
        assertEquals(List.of("Warning: Hostname lab6.test resolves, but not to any IPv4 address. Try scanning with -6",
                "Failed to resolve \"lab6.test\"."), e.messages());
        assertEquals("lab6.test", e.failures().get(0).specification());
    }

    @Test
    void expansionIsCapped() {
        ScanSpecException e = org.junit.jupiter.api.Assertions.assertThrows(ScanSpecException.class,
                () -> new TargetExpander(HostResolver.SYSTEM, 1000).expand(List.of("198.18.0.0/16"), List.of(), false, 0));
        assertTrue(e.getMessage().startsWith("Too many targets"));
    }

    @Test
    void ipv6IsPrintedLikeInetNtop() throws Exception {
        assertEquals("2001:db8::1", AddressFormat.toNmapString(InetAddress.getByName("2001:db8:0:0:0:0:0:1")));
        assertEquals("::", AddressFormat.toNmapString(InetAddress.getByName("::")));
        assertEquals("1::", AddressFormat.toNmapString(InetAddress.getByName("1::")));
        assertEquals("1:0:2::", AddressFormat.toNmapString(InetAddress.getByName("1:0:2:0:0:0:0:0")));
    }

    /** Any argument list gives a request or a ScanSpecException, never another exception. */
    @Test
    void randomCommandLinesFailOnlyWithScanSpecException() {
        String[] pieces = {"-p", "-p-", "22", "1-", "-", "[", "]", ",", "T:", "U:", "http*", "-T", "4", "-sS", "-sT",
            "--top-ports", "0", "1e9", "--max-retries", "=", "--exclude", "127.0.0.1/99", "::1", "-6", "/", "*",
            "-v", "-d", "x", "--min-rate", "-1", "--host-timeout", "1h", "-oX", "-", "--", "é", "\u2013p"};
        Random random = new Random(42);
        for (int round = 0; round < 3000; round++) {
            String[] args = new String[random.nextInt(6)];
            for (int i = 0; i < args.length; i++) {
                String a = pieces[random.nextInt(pieces.length)];
                args[i] = random.nextBoolean() ? a : a + pieces[random.nextInt(pieces.length)];
            }
            try {
                ScanRequest r = NmapCommandLine.parse(args);
                new TargetExpander(HostResolver.SYSTEM, 1 << 16).expand(r);
            } catch (ScanSpecException expected) {
                // the typed error is the contract
            }
        }
    }
}
