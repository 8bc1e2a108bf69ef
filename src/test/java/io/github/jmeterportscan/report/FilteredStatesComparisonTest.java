package io.github.jmeterportscan.report;

import io.github.jmeterportscan.report.NmapComparison.Variant;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.Privileges;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Filtered ports with several reasons at once, which loopback alone never produces: a network
 * namespace of our own whose firewall drops some ports and rejects others with different ICMP
 * errors. Equal-sized reason groups check that our "Not shown" order is nmap's, ties included.
 */
class FilteredStatesComparisonTest {
    private static final String PREFIX = "rpt-filtered-";
    /** IPv4 rejections only: the variants scan 127.0.0.1 inside the namespace. */
    private static final LabPortPlan PLAN = LabPortPlan.builder()
            .range(100, 129, PortBehavior.ICMP_ADMIN_PROHIBITED, PortBehavior.CLOSED)
            .range(130, 159, PortBehavior.DROP)
            .range(160, 189, PortBehavior.ICMP_HOST_UNREACHABLE, PortBehavior.CLOSED)
            .range(190, 219, PortBehavior.ICMP_NET_UNREACHABLE, PortBehavior.CLOSED)
            .range(220, 229, PortBehavior.ICMP_PORT_UNREACHABLE, PortBehavior.CLOSED)
            .range(300, 302, PortBehavior.DROP)
            .build();
    private static NetnsLab lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void createNamespace() {
        if (!Privileges.isRoot() || !Commands.installed("ip") || !Commands.installed("nft")) {
            return; // each test reports the skip (or the CI failure) itself
        }
        NetnsLab.cleanupLeftovers(PREFIX);
        // nmap runs inside and scans the namespace's own loopback, with the kernel's ICMP rate limits
        lab = NetnsLab.builder().prefix(PREFIX).loopbackOnly().liftIcmpRateLimits(false).plan(PLAN).start();
    }

    @AfterAll
    static void deleteNamespace() {
        if (lab != null) {
            lab.close();
        }
    }

    static Stream<Variant> variants() {
        // --max-retries 1 keeps the dropped ports from costing seconds.
        List<String> fast = List.of("--max-retries", "1");
        return Stream.of(
                new Variant("tied-reasons", ScanType.SYN, "127.0.0.1", "100-229", true, false, 0, fast),
                new Variant("closed-and-filtered", ScanType.SYN, "127.0.0.1", "1-320", false, false, 0, fast),
                new Variant("few-filtered-shown", ScanType.SYN, "127.0.0.1", "290-310", true, false, 0, fast),
                new Variant("ack", ScanType.ACK, "127.0.0.1", "90-235", false, false, 0, fast),
                new Variant("verbose", ScanType.SYN, "127.0.0.1", "125-165", true, false, 1, fast),
                // Only dropped ports: nothing answers before --host-timeout ends the host.
                new Variant("host-timeout", ScanType.SYN, "127.0.0.1", "130-159", false, false, 0,
                        List.of("--host-timeout", "200ms")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void ourOutputMatchesNmaps(Variant variant) throws Exception {
        NmapComparison.requireTools(variant.type());
        Privileges.require(lab != null, "needs ip and nft to build a network namespace with a firewall");
        NmapComparison.assertMatches(NmapComparison.run(lab.commandPrefix(), variant, dir), variant);
    }
}
