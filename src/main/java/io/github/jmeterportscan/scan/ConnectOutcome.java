package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;

/**
 * What the end of one {@code connect()} means for the port, following nmap's handleConnectResult
 * (scan_engine_connect.cc).
 *
 * @param kind   what the engine does with the probe
 * @param state  the port's state when {@code kind} is {@link Kind#VERDICT}, else null
 * @param reason the reason when {@code kind} is {@link Kind#VERDICT}, else null
 */
public record ConnectOutcome(Kind kind, PortState state, Reason reason) {

    /** How the engine treats a finished connect. */
    public enum Kind {
        /** The port's state is known. */
        VERDICT,
        /** As if nothing came back: retransmit while tries remain, else filtered/no-response. */
        NO_ANSWER,
        /** Our own resource ran out (fds, ephemeral ports, buffers): try again later, uncounted. */
        LOCAL_RESOURCE,
        /** nmap gives up the whole scan ("Strange SO_ERROR ... -- bailing scan"). */
        FATAL,
        /** An errno nmap does not know ("Strange read error"): the port is left undecided. */
        STRANGE
    }

    private static ConnectOutcome verdict(PortState state, Reason reason) {
        return new ConnectOutcome(Kind.VERDICT, state, reason);
    }

    private static ConnectOutcome of(Kind kind) {
        return new ConnectOutcome(kind, null, null);
    }

    /** nmap's reading of {@code errno}. */
    public static ConnectOutcome of(SocketErrno errno) {
        return switch (errno) {
            case NONE -> verdict(PortState.OPEN, Reason.SYN_ACK);
            case ECONNREFUSED -> verdict(PortState.CLOSED, Reason.CONN_REFUSED);
            // IPv6 admin-prohibited, policy-fail and reject-route arrive as EACCES.
            case EACCES -> verdict(PortState.FILTERED, Reason.ADMIN_PROHIBITED);
            case ENOPROTOOPT -> verdict(PortState.FILTERED, Reason.PROTO_UNREACH);
            case EHOSTUNREACH -> verdict(PortState.FILTERED, Reason.HOST_UNREACH);
            case ENETUNREACH -> verdict(PortState.FILTERED, Reason.NET_UNREACH);
            // Linux: ICMP type 3 code 8, source host isolated.
            case ENONET -> verdict(PortState.FILTERED, Reason.DEST_UNREACH);
            case ETIMEDOUT, EHOSTDOWN -> of(Kind.NO_ANSWER);
            case EMFILE, ENFILE, EADDRNOTAVAIL, EADDRINUSE, ENOBUFS, ENOMEM, EAGAIN, EINTR ->
                    of(Kind.LOCAL_RESOURCE);
            case ENETDOWN, ENETRESET, ECONNABORTED -> of(Kind.FATAL);
            // EPERM included: nmap has no case for it. Local netfilter drops do not produce it on
            // Linux (the SYN just vanishes) and local rejects come back as ICMP (EHOSTUNREACH).
            default -> of(Kind.STRANGE);
        };
    }
}
