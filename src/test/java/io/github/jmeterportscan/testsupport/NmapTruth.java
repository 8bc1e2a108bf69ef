package io.github.jmeterportscan.testsupport;

import static io.github.jmeterportscan.result.PortState.CLOSED;
import static io.github.jmeterportscan.result.PortState.FILTERED;
import static io.github.jmeterportscan.result.PortState.OPEN;
import static io.github.jmeterportscan.result.PortState.UNFILTERED;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.ScanType;

/**
 * What nmap 7.93 reports for each {@link PortBehavior} under each scan type, as checked against
 * the real nmap by {@code NetnsLabTest}.
 *
 * <p>Raw scans (SYN, ACK) follow nmap's reply classification: SYN-ACK is open, RST is closed (SYN)
 * or unfiltered (ACK), silence is filtered/no-response, and every ICMP destination-unreachable code
 * is filtered with a reason named after the code. ICMPv6 code 5 (policy-fail) is reported as
 * admin-prohibited, like code 1.
 *
 * <p>The connect scan sees only what the kernel's {@code connect()} reports: the ICMP code becomes
 * an errno and nmap names the errno. Port-unreachable becomes ECONNREFUSED, so it reads
 * closed/conn-refused; net-prohibited becomes ENETUNREACH (net-unreach); host- and
 * admin-prohibited become EHOSTUNREACH (host-unreach); the IPv6 prohibited codes become EACCES
 * (admin-prohibited); addr-unreachable becomes EHOSTUNREACH. Linux drops an ICMP error that
 * arrives while the connecting socket is still locked by the {@code connect()} call that sent the
 * SYN (counted as TcpExt LockDroppedIcmps). On a veth pair the reply can come back that fast, so
 * for every ICMP kind the connect scan may also end filtered/no-response; with IPv6 this is the
 * common case here.
 *
 * <p>ICMP code 8 ({@link PortBehavior#ICMP_HOST_ISOLATED}, not in the standard layout, so these
 * two lines come from nmap's source rather than from {@code NetnsLabTest}): the raw engine does
 * not know the code and ignores the reply, so the port ends filtered/no-response; the connect scan
 * sees ENONET, which nmap names dest-unreach.
 */
public final class NmapTruth {
    private NmapTruth() {
    }

    public static Expectation expected(ScanType scanType, PortBehavior behavior) {
        return switch (scanType) {
            case SYN -> syn(behavior);
            case ACK -> ack(behavior);
            case CONNECT -> connect(behavior);
        };
    }

    private static Expectation syn(PortBehavior behavior) {
        return switch (behavior) {
            case OPEN, OPEN_STATEFUL -> exactly(OPEN, Reason.SYN_ACK);
            case CLOSED, CLOSED_STATEFUL, REJECT_TCP_RESET -> exactly(CLOSED, Reason.RESET);
            // nmap's raw engine ignores unreachable codes it does not know (scan_engine_raw.cc)
            case DROP, ICMP_HOST_ISOLATED -> exactly(FILTERED, Reason.NO_RESPONSE);
            default -> exactly(FILTERED, rawIcmpReason(behavior));
        };
    }

    private static Expectation ack(PortBehavior behavior) {
        return switch (behavior) {
            case OPEN, CLOSED, REJECT_TCP_RESET -> exactly(UNFILTERED, Reason.RESET);
            case OPEN_STATEFUL, CLOSED_STATEFUL, DROP, ICMP_HOST_ISOLATED -> exactly(FILTERED, Reason.NO_RESPONSE);
            default -> exactly(FILTERED, rawIcmpReason(behavior));
        };
    }

    private static Expectation connect(PortBehavior behavior) {
        Expectation icmp = switch (behavior) {
            // nmap names an accepted connection "syn-ack" as well
            case OPEN, OPEN_STATEFUL -> exactly(OPEN, Reason.SYN_ACK);
            case CLOSED, CLOSED_STATEFUL, REJECT_TCP_RESET -> exactly(CLOSED, Reason.CONN_REFUSED);
            case DROP -> exactly(FILTERED, Reason.NO_RESPONSE);
            case ICMP_NET_UNREACHABLE, ICMP_NET_PROHIBITED, ICMPV6_NO_ROUTE -> exactly(FILTERED, Reason.NET_UNREACH);
            case ICMP_HOST_UNREACHABLE, ICMP_HOST_PROHIBITED, ICMP_ADMIN_PROHIBITED, ICMPV6_ADDR_UNREACHABLE ->
                    exactly(FILTERED, Reason.HOST_UNREACH);
            case ICMP_PROT_UNREACHABLE -> exactly(FILTERED, Reason.PROTO_UNREACH);
            // ENONET, which nmap's connect scan files under dest-unreach
            case ICMP_HOST_ISOLATED -> exactly(FILTERED, Reason.DEST_UNREACH);
            case ICMP_PORT_UNREACHABLE, ICMPV6_PORT_UNREACHABLE -> exactly(CLOSED, Reason.CONN_REFUSED);
            case ICMPV6_ADMIN_PROHIBITED, ICMPV6_POLICY_FAIL, ICMPV6_REJECT_ROUTE ->
                    exactly(FILTERED, Reason.ADMIN_PROHIBITED);
        };
        return behavior.isIcmpReject() ? icmp.orElse(FILTERED, Reason.NO_RESPONSE) : icmp;
    }

    /** The reason nmap derives from the ICMP type/code itself (raw scans). */
    private static Reason rawIcmpReason(PortBehavior behavior) {
        return switch (behavior) {
            case ICMP_NET_UNREACHABLE -> Reason.NET_UNREACH;
            case ICMP_HOST_UNREACHABLE, ICMPV6_ADDR_UNREACHABLE -> Reason.HOST_UNREACH;
            case ICMP_PROT_UNREACHABLE -> Reason.PROTO_UNREACH;
            case ICMP_PORT_UNREACHABLE, ICMPV6_PORT_UNREACHABLE -> Reason.PORT_UNREACH;
            case ICMP_NET_PROHIBITED -> Reason.NET_PROHIBITED;
            case ICMP_HOST_PROHIBITED -> Reason.HOST_PROHIBITED;
            case ICMP_ADMIN_PROHIBITED, ICMPV6_ADMIN_PROHIBITED, ICMPV6_POLICY_FAIL -> Reason.ADMIN_PROHIBITED;
            case ICMPV6_NO_ROUTE -> Reason.NO_ROUTE;
            case ICMPV6_REJECT_ROUTE -> Reason.REJECT_ROUTE;
            default -> throw new IllegalArgumentException(behavior + " is not an ICMP reject");
        };
    }

    private static Expectation exactly(PortState state, Reason reason) {
        return Expectation.exactly(state, reason);
    }
}
