package io.github.jmeterportscan.trace;

import java.util.Optional;

/**
 * An ICMP or ICMPv6 message of a traced datagram.
 *
 * @param ipv6   true for ICMPv6
 * @param type   message type
 * @param code   message code
 * @param quoted for error messages, the start of the datagram that caused it (our probe), as far as
 *               it was quoted
 */
public record IcmpMessage(boolean ipv6, int type, int code, Optional<DecodedDatagram> quoted) {
    /** Destination unreachable (ICMPv4 type 3, ICMPv6 type 1). */
    public boolean isUnreachable() {
        return ipv6 ? type == 1 : type == 3;
    }
}
