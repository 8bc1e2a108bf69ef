package io.github.jmeterportscan.testsupport;

import java.util.Optional;

/**
 * How a lab port answers a TCP probe. Family-neutral kinds work for IPv4 and IPv6 alike; each ICMP
 * kind belongs to one family, because nftables rejects with ICMP or ICMPv6 codes that the other
 * family does not have.
 */
public enum PortBehavior {
    /** A listener accepts (and at once closes) connections: SYN-ACK. */
    OPEN(null, null),
    /** Nothing listens: the kernel answers RST. */
    CLOSED(null, null),
    /** nftables drops the probe silently. */
    DROP(null, null),
    /** nftables answers with a TCP RST ({@code reject with tcp reset}). */
    REJECT_TCP_RESET(null, null),
    /**
     * A listener behind a stateful firewall that lets only a SYN start a connection: SYN and
     * connect scans see it open, an ACK scan sees it filtered.
     */
    OPEN_STATEFUL(null, null),
    /** Like {@link #OPEN_STATEFUL} with nothing listening: closed to SYN, filtered to ACK. */
    CLOSED_STATEFUL(null, null),

    /** ICMP type 3 code 0. */
    ICMP_NET_UNREACHABLE(IpFamily.V4, "icmp type net-unreachable"),
    /** ICMP type 3 code 1. */
    ICMP_HOST_UNREACHABLE(IpFamily.V4, "icmp type host-unreachable"),
    /** ICMP type 3 code 2. */
    ICMP_PROT_UNREACHABLE(IpFamily.V4, "icmp type prot-unreachable"),
    /** ICMP type 3 code 3. */
    ICMP_PORT_UNREACHABLE(IpFamily.V4, "icmp type port-unreachable"),
    /** ICMP type 3 code 9. */
    ICMP_NET_PROHIBITED(IpFamily.V4, "icmp type net-prohibited"),
    /** ICMP type 3 code 10. */
    ICMP_HOST_PROHIBITED(IpFamily.V4, "icmp type host-prohibited"),
    /** ICMP type 3 code 13. */
    ICMP_ADMIN_PROHIBITED(IpFamily.V4, "icmp type admin-prohibited"),
    /** ICMP type 3 code 8, "source host isolated" (obsolete; Linux reports it as ENONET). */
    ICMP_HOST_ISOLATED(IpFamily.V4, "icmp 8"),

    /** ICMPv6 type 1 code 0. */
    ICMPV6_NO_ROUTE(IpFamily.V6, "icmpv6 type no-route"),
    /** ICMPv6 type 1 code 1. */
    ICMPV6_ADMIN_PROHIBITED(IpFamily.V6, "icmpv6 type admin-prohibited"),
    /** ICMPv6 type 1 code 3. */
    ICMPV6_ADDR_UNREACHABLE(IpFamily.V6, "icmpv6 type addr-unreachable"),
    /** ICMPv6 type 1 code 4. */
    ICMPV6_PORT_UNREACHABLE(IpFamily.V6, "icmpv6 type port-unreachable"),
    /** ICMPv6 type 1 code 5 (source address failed ingress/egress policy). */
    ICMPV6_POLICY_FAIL(IpFamily.V6, "icmpv6 type policy-fail"),
    /** ICMPv6 type 1 code 6. */
    ICMPV6_REJECT_ROUTE(IpFamily.V6, "icmpv6 type reject-route");

    private final IpFamily family;
    private final String nftReject;

    PortBehavior(IpFamily family, String nftReject) {
        this.family = family;
        this.nftReject = nftReject;
    }

    /** The only family this kind exists in, or empty when it works for both. */
    public Optional<IpFamily> family() {
        return Optional.ofNullable(family);
    }

    public boolean appliesTo(IpFamily f) {
        return family == null || family == f;
    }

    /** Whether the lab's listener must accept connections on a port of this kind. */
    public boolean needsListener() {
        return this == OPEN || this == OPEN_STATEFUL;
    }

    public boolean isIcmpReject() {
        return nftReject != null;
    }

    /** The nftables statement argument after {@code reject with}, for the ICMP kinds. */
    String nftReject() {
        return nftReject;
    }
}
