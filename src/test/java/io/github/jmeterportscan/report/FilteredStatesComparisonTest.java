package io.github.jmeterportscan.report;

import io.github.jmeterportscan.testsupport.Commands;
import java.time.Duration;
import io.github.jmeterportscan.report.NmapComparison.Variant;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Privileges;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    private static final String NAMESPACE = "rpt-filtered-" + ProcessHandle.current().pid();
    private static final List<String> IN_NAMESPACE = List.of("ip", "netns", "exec", NAMESPACE);
    private static final String RULES = """
            table inet portscan_report_test {
              chain input {
                type filter hook input priority 0;
                tcp dport 100-129 reject with icmp type admin-prohibited
                tcp dport 130-159 drop
                tcp dport 160-189 reject with icmp type host-unreachable
                tcp dport 190-219 reject with icmp type net-unreachable
                tcp dport 220-229 reject with icmp type port-unreachable
                tcp dport 300-302 drop
              }
            }
            """;
    private static boolean created;

    @TempDir
    Path dir;

    @BeforeAll
    static void createNamespace(@TempDir Path scratch) throws Exception {
        if (!Privileges.isRoot() || !Commands.installed("ip") || !Commands.installed("nft")) {
            return; // each test reports the skip (or the CI failure) itself
        }
        run(List.of("ip", "netns", "add", NAMESPACE));
        created = true;
        run(List.of("ip", "-n", NAMESPACE, "link", "set", "lo", "up"));
        Path rules = scratch.resolve("rules.nft");
        Files.writeString(rules, RULES, StandardCharsets.UTF_8);
        run(List.of("ip", "netns", "exec", NAMESPACE, "nft", "-f", rules.toString()));
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        if (created) {
            run(List.of("ip", "netns", "delete", NAMESPACE));
        }
    }

    private static void run(List<String> command) throws Exception {
        Commands.Result result = Commands.runAllowingFailure(Duration.ofSeconds(30), command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.stderr());
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
        Privileges.require(created, "needs ip and nft to build a network namespace with a firewall");
        NmapComparison.assertMatches(NmapComparison.run(IN_NAMESPACE, variant, dir), variant);
    }
}
