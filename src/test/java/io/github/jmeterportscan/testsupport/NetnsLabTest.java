package io.github.jmeterportscan.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.ScanType;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the standard lab and scans it with the real nmap: every scan type, both families. This
 * tests the harness (each fixture answers as planned) and pins down nmap's verdicts, which
 * {@link NmapTruth} records for the scanners' own tests.
 */
class NetnsLabTest {
    static final String PREFIX = "ps-lab-";
    static final LabSubnets SUBNETS = LabSubnets.of("198.18.20.0/24", "2001:db8:20::/64");
    private static final Duration NMAP_TIMEOUT = Duration.ofSeconds(120);
    private static final Logger LOG = LoggerFactory.getLogger(NetnsLabTest.class);
    private static NetnsLab lab;

    @BeforeAll
    static void buildLab() {
        Privileges.requireRoot("creates network namespaces and runs nmap raw scans");
        NetnsLab.cleanupLeftovers(PREFIX);
        lab = NetnsLab.builder().prefix(PREFIX).subnets(SUBNETS).plan(LabLayouts.standard()).extraTargets(16).start();
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    static List<Arguments> scans() {
        List<Arguments> all = new ArrayList<>();
        for (ScanType type : ScanType.values()) {
            for (IpFamily family : IpFamily.values()) {
                all.add(Arguments.of(type, family));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "nmap {0} over {1} agrees with the plan")
    @MethodSource("scans")
    void nmapSeesThePlannedBehaviour(ScanType type, IpFamily family) {
        LabPortPlan plan = lab.plan();
        String target = lab.target(family).getHostAddress();
        NmapRun run = NmapRunner.scanLab(NMAP_TIMEOUT, type, family, plan.nmapPortList(), target, "--reason");

        NmapHost host = run.host(target);
        LOG.info("nmap {} over {}: {}", type, family, host.tcpOutcomes());
        assertEquals(type.xmlName(), run.scanInfos().get(0).type());
        assertEquals(plan.ports(), host.tcp().navigableKeySet(), "nmap reported exactly the planned ports");
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<Integer, Expectation> entry : plan.expected(type, family).entrySet()) {
            NmapPort port = host.tcp(entry.getKey());
            if (!entry.getValue().accepts(port.outcome())) {
                mismatches.add(entry.getKey() + " (" + plan.behavior(family, entry.getKey()) + "): nmap "
                        + port.outcome() + ", expected " + entry.getValue());
            }
            checkTtl(type, port);
        }
        assertTrue(mismatches.isEmpty(), type + "/" + family + " mismatches:\n" + String.join("\n", mismatches)
                + "\nrule set:\n" + lab.ruleset());
    }

    /** Raw scans report the TTL of the deciding reply: 64 from a neighbour one veth away, 0 without reply. */
    private static void checkTtl(ScanType type, NmapPort port) {
        boolean replied = port.reason() != Reason.NO_RESPONSE;
        int expectedTtl = type.isRaw() && replied ? 64 : 0;
        assertEquals(expectedTtl, port.reasonTtl(), "reason_ttl of port " + port.port());
    }

    @ParameterizedTest(name = "the 16 extra targets answer like the main one over {0}")
    @MethodSource("families")
    void extraTargetsFormABlockWithThePlan(IpFamily family) {
        NmapRun run = NmapRunner.scanLab(NMAP_TIMEOUT, ScanType.SYN, family, "22,81,82,83",
                lab.extraTargetBlock(family));
        assertEquals(16, run.hosts().size(), "hosts in " + lab.extraTargetBlock(family));
        for (InetAddress address : lab.extraTargets(family)) {
            NavigableMap<Integer, Outcome> outcomes = run.host(address.getHostAddress()).tcpOutcomes();
            for (int port : List.of(22, 81, 82, 83)) {
                assertTrue(lab.plan().expected(ScanType.SYN, family, port).accepts(outcomes.get(port)),
                        address.getHostAddress() + ":" + port + " was " + outcomes.get(port));
            }
        }
    }

    static List<IpFamily> families() {
        return List.of(IpFamily.values());
    }

    @Test
    void closedPortsOutsideThePlanAreCollapsedByNmapAndExpandedByTheParser() {
        String target = lab.target(IpFamily.V4).getHostAddress();
        NmapRun run = NmapRunner.scanLab(NMAP_TIMEOUT, ScanType.SYN, IpFamily.V4, "1-100", target);
        NavigableMap<Integer, NmapPort> ports = run.host(target).tcp();
        assertEquals(100, ports.size(), "every scanned port is present after expansion");
        for (NmapPort port : ports.values()) {
            assertTrue(lab.plan().expected(ScanType.SYN, IpFamily.V4, port.port()).accepts(port.outcome()),
                    port + " against " + lab.plan().behavior(IpFamily.V4, port.port()));
        }
        assertTrue(ports.get(1).collapsed(), "closed port 1 came from <extraports>");
        assertFalse(ports.get(22).collapsed(), "open port 22 has its own <port>");
    }

    @Test
    void theLabExistsWhileOpenAndIsGoneAfterClose() {
        String namespace;
        String hostInterface;
        // a second lab needs its own blocks: the shared lab holds 198.18.20.0/24
        try (NetnsLab small = NetnsLab.builder().prefix(PREFIX).subnets("198.18.22.0/24", "2001:db8:22::/64")
                .plan(LabPortPlan.builder().open(2222).build()).start()) {
            namespace = small.namespace();
            hostInterface = small.hostInterface();
            assertTrue(namespace.startsWith(PREFIX));
            assertTrue(Files.exists(Path.of("/sys/class/net", hostInterface)));
            assertTrue(Commands.run(Duration.ofSeconds(5), "ip", "netns", "list").stdout().contains(namespace));
        }
        assertFalse(Files.exists(Path.of("/sys/class/net", hostInterface)), "host veth removed");
        assertFalse(Commands.run(Duration.ofSeconds(5), "ip", "netns", "list").stdout().contains(namespace),
                "namespace removed");
    }

    @Test
    void aFailedStartLeavesNothingBehind() {
        // a deadline of zero fails whichever command comes first, after it may have done its work
        String prefix = "ps-fail-";
        LabException failure = assertThrows(LabException.class,
                () -> NetnsLab.builder().prefix(prefix).subnets("198.18.22.0/24", "2001:db8:22::/64")
                        .commandTimeout(Duration.ofNanos(1)).start());
        assertTrue(failure.getMessage().contains("did not finish"), failure.getMessage());
        assertFalse(Commands.run(Duration.ofSeconds(5), "ip", "netns", "list").stdout().contains(prefix),
                "no namespace left after the failed start");
        assertFalse(Commands.run(Duration.ofSeconds(5), "ip", "-o", "link", "show").stdout()
                .contains(NetnsLab.vethStem(prefix)), "no veth left after the failed start");
    }

    @Test
    void cleanupLeftoversRemovesWhatACrashedRunLeft() {
        // its own prefix: cleaning up "ps-lab-" would remove the shared lab
        String prefix = "ps-crash-";
        String namespace = prefix + "abc123";
        String stem = NetnsLab.vethStem(prefix);
        Duration timeout = Duration.ofSeconds(5);
        Commands.run(timeout, "ip", "netns", "add", namespace);
        Commands.run(timeout, "ip", "link", "add", stem + "abc123h", "type", "veth", "peer", "name", stem + "abc123n");

        assertEquals(2, NetnsLab.cleanupLeftovers(prefix), "the namespace and the veth pair (one delete removes both ends)");

        assertFalse(Commands.run(timeout, "ip", "netns", "list").stdout().contains(namespace));
        assertFalse(Files.exists(Path.of("/sys/class/net", stem + "abc123h")));
        assertTrue(Files.exists(Path.of("/sys/class/net", lab.hostInterface())), "other labs untouched");
    }

    @Test
    void cleanupLeftoversAlsoRemovesExtraPairs() {
        String prefix = "ps-crash-";
        String extraHostEnd = NetnsLab.vethStem(prefix) + "abc123gh"; // pair 'g' of a lab with suffix abc123
        Duration timeout = Duration.ofSeconds(5);
        Commands.run(timeout, "ip", "link", "add", extraHostEnd, "type", "veth", "peer", "name",
                NetnsLab.vethStem(prefix) + "abc123gn");

        assertEquals(1, NetnsLab.cleanupLeftovers(prefix), "the extra pair (one delete removes both ends)");
        assertFalse(Files.exists(Path.of("/sys/class/net", extraHostEnd)));
    }
}
