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
        if (plan.synsPerSecond() > 0) {
            nft.append("    tcp flags & (syn | ack) == syn limit rate over ").append(plan.synsPerSecond())
                    .append("/second drop\n");
        }
        for (IpFamily family : IpFamily.values()) {
            appendPortRules(nft, plan, family);
        }
        nft.append("  }\n");
        nft.append("  chain output {\n");
        nft.append("    type filter hook output priority filter; policy accept;\n");
        appendLoss(nft, plan);
        if (plan.tcpRepliesPerSecond() > 0) {
            nft.append("    meta l4proto tcp limit rate over ").append(plan.tcpRepliesPerSecond())
                    .append("/second drop\n");
        }
        nft.append("  }\n");
        nft.append("}\n");
        return nft.toString();
    }

    /** One rule per run of consecutive ports with the same rule ("tcp dport 10000-10999 drop"). */
    private static void appendPortRules(StringBuilder nft, LabPortPlan plan, IpFamily family) {
        int first = -1;
        int last = -1;
        String runRule = null;
        for (Map.Entry<Integer, LabPortPlan.Fixture> entry : plan.fixtures().entrySet()) {
            int port = entry.getKey();
            String rule = rule(entry.getValue().behavior(family));
            if (runRule != null && port == last + 1 && runRule.equals(rule)) {
                last = port;
                continue;
            }
            appendRule(nft, family, first, last, runRule);
            first = port;
            last = port;
            runRule = rule;
        }
        appendRule(nft, family, first, last, runRule);
    }

    private static void appendRule(StringBuilder nft, IpFamily family, int first, int last, String rule) {
        if (rule == null) {
            return;
        }
        nft.append("    meta nfproto ").append(family.nfproto()).append(" tcp dport ").append(first);
        if (last != first) {
            nft.append('-').append(last);
        }
        nft.append(' ').append(rule).append('\n');
    }

    private static void appendLoss(StringBuilder nft, LabPortPlan plan) {
        if (plan.lossPercent() > 0) {
            // tc netem is not available in every kernel; numgen gives the same uniform loss
            nft.append("    numgen random mod 100 < ").append(plan.lossPercent()).append(" drop\n");
        }
    }

    /** The statement after the port match, or null when the kernel's own answer is wanted. */
    private static String rule(PortBehavior behavior) {
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
