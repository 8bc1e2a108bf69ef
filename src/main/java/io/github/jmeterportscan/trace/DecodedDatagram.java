package io.github.jmeterportscan.trace;

import java.util.Optional;

/**
 * The headers of a traced datagram, decoded for display.
 *
 * @param ip   the IP header
 * @param tcp  the TCP header, when the datagram carries TCP
 * @param icmp the ICMP or ICMPv6 message, when it carries one
 */
public record DecodedDatagram(IpHeader ip, Optional<TcpSegment> tcp, Optional<IcmpMessage> icmp) {
}
