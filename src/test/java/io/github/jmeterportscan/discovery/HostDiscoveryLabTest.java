package io.github.jmeterportscan.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.cli.InProcessCli;
import io.github.jmeterportscan.cli.Main;
import io.github.jmeterportscan.link.ConnectedBroadcasts;
import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.scan.ConnectPortScanner;
import io.github.jmeterportscan.scan.RawPortScanner;
import io.github.jmeterportscan.scan.ScanEngine;
import io.github.jmeterportscan.scan.TargetGuard;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabException;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapHost;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Host discovery against nmap 7.93 on a lab with live and dead addresses on the veth's own
 * network (ARP, ND) and routed behind the namespace (ICMP, TCP), some answering one kind of probe
 * only: our -sn and our default scan give every host nmap's state and reason.
 */
class HostDiscoveryLabTest {
    private static final Duration NMAP_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Routed hosts: .10 answers everything (echo-reply first), .11 drops ICMP echo and timestamp
     * (the SYN to 443 gets a reset), .12 drops echo and all TCP (timestamp-reply), .13 drops ICMP
     * and TCP (down), .14 is nobody's (down). IPv6: ::10 answers, ::11 drops echo (reset), ::13
     * drops everything.
     */
    private static final String RULES = """
            table inet discovery_lab {
              counter dead_host { }
              chain input {
                type filter hook input priority -10;
                ip daddr 198.18.129.13 counter name "dead_host"
                ip daddr 198.18.129.11 icmp type { echo-request, timestamp-request } drop
                ip daddr 198.18.129.12 icmp type echo-request drop
                ip daddr 198.18.129.12 meta l4proto tcp drop
                ip daddr 198.18.129.13 meta l4proto { tcp, icmp } drop
                ip6 daddr 2001:db8:128:1::11 icmpv6 type echo-request drop
                ip6 daddr 2001:db8:128:1::13 meta l4proto { tcp, icmpv6 } drop
              }
            }
            """;

    private static final List<String> V4_TARGETS = List.of("198.18.128.1-4", "198.18.128.16-18", "198.18.129.10-14");
    private static final List<String> V6_TARGETS = List.of("2001:db8:128::2", "2001:db8:128::3", "2001:db8:128::16",
            "2001:db8:128:1::10", "2001:db8:128:1::11", "2001:db8:128:1::13", "2001:db8:128:1::14");

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-disc-", () -> NetnsLab.builder()
            .subnets("198.18.128.0/24", "2001:db8:128::/64")
            .permanentNeighbours(false)
            .extraTargets(2)
            .routeViaNamespace("198.18.129.0/24", "198.18.129.10", "198.18.129.11", "198.18.129.12",
                    "198.18.129.13")
            .routeViaNamespace("2001:db8:128:1::/64", "2001:db8:128:1::10", "2001:db8:128:1::11",
                    "2001:db8:128:1::13"));

    @BeforeAll
    static void loadRules() throws IOException {
        Privileges.requireRoot("network namespaces and raw packets");
        Path rules = Files.createTempFile("discovery-lab-", ".nft");
        try {
            Files.writeString(rules, RULES, StandardCharsets.UTF_8);
            LAB.lab().execInNamespace("nft", "-f", rules.toString());
        } finally {
            Files.deleteIfExists(rules);
        }
    }

    @Test
    void pingScanOfIpv4EqualsNmapHostByHost() throws IOException {
        Map<String, String> ours = ours(V4_TARGETS, "-sn", "-v");
        assertEquals(nmap(V4_TARGETS, "-sn", "-v"), ours);
        assertEquals("up arp-response", ours.get("198.18.128.2"));
        assertEquals("down no-response", ours.get("198.18.128.3"));
        assertEquals("up echo-reply", ours.get("198.18.129.10"));
        assertEquals("up reset", ours.get("198.18.129.11"));
        assertEquals("up timestamp-reply", ours.get("198.18.129.12"));
        assertEquals("down no-response", ours.get("198.18.129.13"));
    }

    @Test
    void pingScanOfIpv6EqualsNmapHostByHost() throws IOException {
        Map<String, String> ours = ours(V6_TARGETS, "-6", "-sn", "-v");
        assertEquals(nmap(V6_TARGETS, "-6", "-sn", "-v"), ours);
        assertEquals("up nd-response", ours.get("2001:db8:128::2"));
        assertEquals("up echo-reply", ours.get("2001:db8:128:1::10"));
    }

    /** Down hosts are reported and cost one discovery timeout, not a port scan of 1000 filtered ports. */
    @Test
    void defaultScanEqualsNmapAndSkipsDeadHosts() throws IOException {
        List<String> args = List.of("-p", "22,80,443", "-v");
        long start = System.nanoTime();
        Map<String, String> ours = ours(V4_TARGETS, args.toArray(String[]::new));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(nmap(V4_TARGETS, args.toArray(String[]::new)), ours);
        assertTrue(elapsedMillis < 5_000, "dead hosts are not port-scanned: took " + elapsedMillis + " ms");

        long before = packetsToDeadHost();
        Map<String, String> dead = ours(List.of("198.18.129.13", "198.18.129.14"), "-p", "1-1000", "-v");
        assertEquals(Map.of("198.18.129.13", "down no-response", "198.18.129.14", "down no-response"), dead);
        // Two tries of echo, SYN 443, ACK 80 and timestamp: discovery's probes and not one port probe.
        assertEquals(8, packetsToDeadHost() - before, "probes that reached the dead host");
    }

    @Test
    void disabledArpPingProbesOnLinkHostsOverIp() throws IOException {
        List<String> targets = List.of("198.18.128.2", "198.18.128.16");
        Map<String, String> ours = ours(targets, "-sn", "--disable-arp-ping", "-v");
        assertEquals(nmap(targets, "-sn", "--disable-arp-ping", "-v"), ours);
        assertEquals("up echo-reply", ours.get("198.18.128.2"));
    }

    /**
     * Without raw access (an engine that finds none, as for a user without CAP_NET_RAW), the CLI
     * discovers with TCP connects to 80 and 443, as nmap run by an unprivileged user: a refused
     * connect is conn-refused, silence is down, and loopback is connected to like any host.
     */
    @Test
    void unprivilegedDiscoveryEqualsUnprivilegedNmap() throws Exception {
        List<String> targets = List.of("198.18.129.10", "198.18.129.12", "198.18.129.13", "127.0.0.1");
        ScanEngine unprivileged = new ScanEngine(new RawPortScanner(Links::open), new ConnectPortScanner(),
                () -> Optional.of("no raw access in this test"), new TargetGuard(ConnectedBroadcasts::read));
        Path xml = Files.createTempFile("ours-", ".xml");
        Map<String, String> ours;
        try {
            List<String> args = new ArrayList<>(List.of("-n", "-sn", "-v", "-oX", xml.toString()));
            args.addAll(targets);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), unprivileged)
                    .run(args.toArray(String[]::new));
            assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
            ours = statuses(NmapXml.parse(xml));
        } finally {
            Files.deleteIfExists(xml);
        }
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "nobody", "--", "nmap", "-n", "-sn", "-v",
                "-oX", "-"));
        command.addAll(targets);
        Commands.Result nmap = Commands.runAllowingFailure(NMAP_TIMEOUT, command);
        if (!nmap.succeeded()) {
            throw new LabException(nmap.describe());
        }
        Path nmapXml = Files.createTempFile("nmap-", ".xml");
        try {
            Files.writeString(nmapXml, nmap.stdout(), StandardCharsets.UTF_8);
            assertEquals(statuses(NmapXml.parse(nmapXml)), ours);
        } finally {
            Files.deleteIfExists(nmapXml);
        }
        assertEquals("up conn-refused", ours.get("198.18.129.10"));
        assertEquals("down no-response", ours.get("198.18.129.12"));
    }

    /** Packets that reached the dead routed host: the nft counter in front of its drop rules. */
    private static long packetsToDeadHost() {
        String listed = LAB.lab().execInNamespace("nft", "list", "counter", "inet", "discovery_lab", "dead_host")
                .stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(listed);
        if (!m.find()) {
            throw new LabException("no packet count in: " + listed);
        }
        return Long.parseLong(m.group(1));
    }

    /** address -> "state reason" from our XML (every host, -v lists the down ones too). */
    private static Map<String, String> ours(List<String> targets, String... options) throws IOException {
        Path xml = Files.createTempFile("ours-", ".xml");
        try {
            List<String> args = new ArrayList<>(List.of("-n", "-oX", xml.toString()));
            args.addAll(List.of(options));
            args.addAll(targets);
            InProcessCli cli = InProcessCli.run(args);
            assertEquals(0, cli.status(), cli.stderr() + cli.stdout());
            XmlValidation.assertValid(xml);
            return statuses(NmapXml.parse(xml));
        } finally {
            Files.deleteIfExists(xml);
        }
    }

    private static Map<String, String> nmap(List<String> targets, String... options) throws IOException {
        Path xml = Files.createTempFile("nmap-", ".xml");
        try {
            List<String> command = new ArrayList<>(List.of("nmap", "-n", "-oX", xml.toString()));
            command.addAll(List.of(options));
            command.addAll(targets);
            Commands.Result result = Commands.runAllowingFailure(NMAP_TIMEOUT, command);
            if (!result.succeeded()) {
                throw new LabException(result.describe());
            }
            return statuses(NmapXml.parse(xml));
        } finally {
            Files.deleteIfExists(xml);
        }
    }

    private static Map<String, String> statuses(NmapRun run) {
        Map<String, String> byAddress = new TreeMap<>();
        for (NmapHost host : run.hosts()) {
            byAddress.put(host.address(), host.status() + " " + host.statusReason());
        }
        return byAddress;
    }
}
