package io.github.jmeterportscan.testsupport;

/** Ready-made port plans, so tests share a few well-known layouts instead of inventing their own. */
public final class LabLayouts {
    private LabLayouts() {
    }

    /**
     * Every kind of answer on a handful of ports, for IPv4 and IPv6:
     * <ul>
     * <li>22, 80, 443 open; 81 closed; 82 and 8080 dropped; 83 {@code reject with tcp reset}</li>
     * <li>84-90 ICMP unreachable: net (0), host (1), protocol (2), port (3), net-prohibited (9),
     * host-prohibited (10), admin-prohibited (13); over IPv6 84-89 ICMPv6 no-route (0),
     * admin-prohibited (1), addr-unreachable (3), port-unreachable (4), policy-fail (5),
     * reject-route (6), and 90 closed</li>
     * <li>91 open and 92 closed behind a stateful firewall (filtered to an ACK scan)</li>
     * </ul>
     */
    public static LabPortPlan standard() {
        return standardBuilder().build();
    }

    /** {@link #standard()} with {@code percent}% random loss each way. */
    public static LabPortPlan standardWithLoss(int percent) {
        return standardBuilder().lossPercent(percent).build();
    }

    private static LabPortPlan.Builder standardBuilder() {
        return LabPortPlan.builder()
                .open(22, 80, 443)
                .closed(81)
                .drop(82, 8080)
                .tcpReset(83)
                .port(84, PortBehavior.ICMP_NET_UNREACHABLE, PortBehavior.ICMPV6_NO_ROUTE)
                .port(85, PortBehavior.ICMP_HOST_UNREACHABLE, PortBehavior.ICMPV6_ADMIN_PROHIBITED)
                .port(86, PortBehavior.ICMP_PROT_UNREACHABLE, PortBehavior.ICMPV6_ADDR_UNREACHABLE)
                .port(87, PortBehavior.ICMP_PORT_UNREACHABLE, PortBehavior.ICMPV6_PORT_UNREACHABLE)
                .port(88, PortBehavior.ICMP_NET_PROHIBITED, PortBehavior.ICMPV6_POLICY_FAIL)
                .port(89, PortBehavior.ICMP_HOST_PROHIBITED, PortBehavior.ICMPV6_REJECT_ROUTE)
                .port(90, PortBehavior.ICMP_ADMIN_PROHIBITED, PortBehavior.CLOSED)
                .openStateful(91)
                .closedStateful(92);
    }

    /**
     * 303 ports, most of them closed, as a typical host shows them: 1-300, 443, 445 and 8080, with
     * 22, 80, 443, 8080 open; 81, 135, 139, 445 dropped; 82-85 ICMP unreachable (IPv4: port,
     * host-prohibited, admin-prohibited, net; IPv6: port, admin-prohibited, address, no-route);
     * 86 {@code reject with tcp reset}; every other port closed. Returned as a builder for loss
     * and rate limits to be added.
     */
    public static LabPortPlan.Builder typicalHost() {
        return LabPortPlan.builder()
                .range(1, 300, PortBehavior.CLOSED)
                .open(22, 80, 443, 8080)
                .drop(81, 135, 139, 445)
                .port(82, PortBehavior.ICMP_PORT_UNREACHABLE, PortBehavior.ICMPV6_PORT_UNREACHABLE)
                .port(83, PortBehavior.ICMP_HOST_PROHIBITED, PortBehavior.ICMPV6_ADMIN_PROHIBITED)
                .port(84, PortBehavior.ICMP_ADMIN_PROHIBITED, PortBehavior.ICMPV6_ADDR_UNREACHABLE)
                .port(85, PortBehavior.ICMP_NET_UNREACHABLE, PortBehavior.ICMPV6_NO_ROUTE)
                .tcpReset(86);
    }
}
