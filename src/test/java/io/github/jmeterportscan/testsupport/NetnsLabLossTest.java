package io.github.jmeterportscan.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.ScanType;
import java.time.Duration;
import java.util.Collection;
import org.junit.jupiter.api.Test;

/** The LOSS option really loses packets: some probes of a closed range go unanswered, some do not. */
class NetnsLabLossTest {

    @Test
    void halfTheProbesOrRepliesAreLost() {
        Privileges.requireRoot("creates network namespaces and runs nmap raw scans");
        NetnsLab.cleanupLeftovers("ps-loss-");
        LabPortPlan plan = LabPortPlan.builder().lossPercent(50).build();
        try (NetnsLab lab = NetnsLab.builder().prefix("ps-loss-").subnets("198.18.23.0/24", "2001:db8:23::/64")
                .plan(plan).start()) {
            assertTrue(lab.ruleset().contains("numgen random mod 100 < 50 drop"), lab.ruleset());
            String target = lab.target(IpFamily.V4).getHostAddress();
            // without retries a closed port answers only when probe and RST both survive: 1 in 4
            NmapRun run = NmapRunner.scan(Duration.ofSeconds(60), "-sS", "--max-retries", "0",
                    "--max-rtt-timeout", "200ms", "-p", "1000-1079", target);
            Collection<NmapPort> ports = run.host(target).tcp().values();
            long closed = ports.stream().filter(p -> p.state() == PortState.CLOSED).count();
            long filtered = ports.stream().filter(p -> p.state() == PortState.FILTERED).count();
            // P(all 80 answered) = 0.25^80 and P(none answered) = 0.75^80 (about 1e-10): both impossible in practice
            assertTrue(closed > 0 && filtered > 0, "closed " + closed + ", filtered " + filtered + " of 80");
            assertTrue(filtered > closed, "most probes go unanswered at 50% loss each way: closed " + closed
                    + ", filtered " + filtered);
        }
    }
}
