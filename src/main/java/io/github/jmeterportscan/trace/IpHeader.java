package io.github.jmeterportscan.trace;

import java.net.InetAddress;

/**
 * The IP header of a traced datagram.
 *
 * @param version      4 or 6
 * @param source       source address
 * @param destination  destination address
 * @param ttl          TTL (IPv4) or hop limit (IPv6)
 * @param id           IPv4 identification (0 for IPv6)
 * @param length       IPv4 total length ("iplen") or IPv6 payload length ("payloadlen")
 * @param flowLabel    IPv6 flow label (0 for IPv4)
 * @param protocol     the transport protocol after any IPv6 extension headers (6 TCP, 1 ICMP, 58 ICMPv6)
 * @param headerLength bytes before the transport header (with options or extension headers)
 * @param fragment     true for a non-first fragment, whose transport header is not in it
 */
public record IpHeader(int version, InetAddress source, InetAddress destination, int ttl, int id, int length,
        int flowLabel, int protocol, int headerLength, boolean fragment) {
    public static final int TCP = 6;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public boolean isIpv6() {
        return version == 6;
    }
}
