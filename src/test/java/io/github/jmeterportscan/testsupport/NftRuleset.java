package io.github.jmeterportscan.testsupport;

import java.util.Map;

/**
 * Renders a {@link LabPortPlan} as one nftables file for {@code nft -f}, loaded inside the lab's
 * namespace. Loading a whole file is atomic: a scan never sees half a rule set.
 */
final class NftRuleset {
    static final String TABLE = "portscan_lab";

    private NftRuleset() {
    }

    static String render(LabPortPlan plan) {
        StringBuilder nft = new StringBuilder();
        nft.append("table inet ").append(TABLE).append(" {\n");
        nft.append("  chain input {\n");
        nft.append("    type filter hook input priority filter; policy accept;\n");
        appendLoss(nft, plan);
        for (Map.Entry<Integer, LabPortPlan.Fixture> entry : plan.fixtures().entrySet()) {
            for (IpFamily family : IpFamily.values()) {
                String rule = rule(entry.getKey(), entry.getValue().behavior(family));
                if (rule != null) {
                    nft.append("    meta nfproto ").append(family.nfproto()).append(" tcp dport ")
                            .append(entry.getKey()).append(' ').append(rule).append('\n');
                }
            }
        }
        nft.append("  }\n");
        nft.append("  chain output {\n");
        nft.append("    type filter hook output priority filter; policy accept;\n");
        appendLoss(nft, plan);
        nft.append("  }\n");
        nft.append("}\n");
        return nft.toString();
    }

    private static void appendLoss(StringBuilder nft, LabPortPlan plan) {
        if (plan.lossPercent() > 0) {
            // tc netem is not available in every kernel; numgen gives the same uniform loss
            nft.append("    numgen random mod 100 < ").append(plan.lossPercent()).append(" drop\n");
        }
    }

    /** The statement after the port match, or null when the kernel's own answer is wanted. */
    private static String rule(int port, PortBehavior behavior) {
        return switch (behavior) {
            case OPEN, CLOSED -> null;
            case DROP -> "drop";
            case REJECT_TCP_RESET -> "reject with tcp reset";
            // conntrack picks up a lone ACK as a NEW flow; a stateful firewall drops such flows
            case OPEN_STATEFUL, CLOSED_STATEFUL -> "ct state new tcp flags & (fin|syn|rst|ack) != syn drop";
            default -> "reject with " + behavior.nftReject();
        };
    }
}
