package io.github.jmeterportscan.probe;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.ScanType;
import java.util.EnumMap;
import java.util.Map;

/**
 * nmap's reading of replies to TCP probes (scan_engine_raw.cc, get_pcap_result), as a pure
 * function. Returns null for replies nmap ignores, which leaves the probe outstanding.
 */
public final class ReplyClassifier {
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    private static final Verdict OPEN_SYN_ACK = new Verdict(PortState.OPEN, Reason.SYN_ACK);
    private static final Verdict CLOSED_RESET = new Verdict(PortState.CLOSED, Reason.RESET);
    private static final Verdict UNFILTERED_RESET = new Verdict(PortState.UNFILTERED, Reason.RESET);
    private static final Verdict OPEN_PARAM_PROBLEM = new Verdict(PortState.OPEN, Reason.PARAM_PROBLEM);
    private static final Map<Reason, Verdict> FILTERED = new EnumMap<>(Reason.class);

    static {
        for (Reason reason : Reason.values()) {
            FILTERED.put(reason, new Verdict(PortState.FILTERED, reason));
        }
    }

    private ReplyClassifier() {
    }

    /** A TCP segment from the probed port. */
    public static Verdict tcp(ScanType type, int flags) {
        if (type == ScanType.SYN && (flags & (SYN | ACK)) == (SYN | ACK)) {
            return OPEN_SYN_ACK;
        }
        if ((flags & RST) != 0) {
            return type == ScanType.ACK ? UNFILTERED_RESET : CLOSED_RESET;
        }
        // A bare SYN (split handshake) is open to nmap; we cannot tell it from our own probe when
        // scanning ourselves on loopback, so like every other flag combination it is ignored.
        return null;
    }

    /** An ICMPv4 error quoting a probe. TCP scans never turn ICMP into open or closed. */
    public static Verdict icmpv4(int type, int code) {
        if (type == 11) {
            return FILTERED.get(Reason.TIME_EXCEEDED);
        }
        if (type != 3) {
            return null;
        }
        return switch (code) {
            case 0 -> FILTERED.get(Reason.NET_UNREACH);
            case 1 -> FILTERED.get(Reason.HOST_UNREACH);
            case 2 -> FILTERED.get(Reason.PROTO_UNREACH);
            case 3 -> FILTERED.get(Reason.PORT_UNREACH);
            case 9 -> FILTERED.get(Reason.NET_PROHIBITED);
            case 10 -> FILTERED.get(Reason.HOST_PROHIBITED);
            case 13 -> FILTERED.get(Reason.ADMIN_PROHIBITED);
            default -> null;   // nmap reports "Unexpected ICMP type/code" and keeps waiting
        };
    }

    /**
     * An ICMPv6 error quoting a probe. nmap listens only to destination-unreachable and
     * parameter-problem here; time-exceeded is ignored for IPv6.
     */
    public static Verdict icmpv6(int type, int code) {
        if (type == 1) {
            return switch (code) {
                case 0 -> FILTERED.get(Reason.NO_ROUTE);
                case 1, 5 -> FILTERED.get(Reason.ADMIN_PROHIBITED);
                case 2 -> FILTERED.get(Reason.BEYOND_SCOPE);
                case 3 -> FILTERED.get(Reason.HOST_UNREACH);
                case 4 -> FILTERED.get(Reason.PORT_UNREACH);
                case 6 -> FILTERED.get(Reason.REJECT_ROUTE);
                default -> null;
            };
        }
        if (type == 4) {
            return switch (code) {
                // "Erroneous header field" means the header was understood, so nmap calls it open.
                case 0 -> OPEN_PARAM_PROBLEM;
                case 1 -> FILTERED.get(Reason.PARAM_PROBLEM);
                default -> null;
            };
        }
        return null;
    }

    /**
     * nmap's rule for a second verdict on a port that already has one (ultrascan_port_pspec_update):
     * open is never replaced, closed never becomes filtered, unfiltered yields only to open/closed.
     */
    public static boolean replaces(PortState current, PortState next) {
        if (current == null || current == next) {
            return current == null;
        }
        return switch (current) {
            case OPEN -> false;
            case CLOSED -> next != PortState.FILTERED;
            case UNFILTERED -> next == PortState.OPEN || next == PortState.CLOSED;
            default -> true;
        };
    }
}
