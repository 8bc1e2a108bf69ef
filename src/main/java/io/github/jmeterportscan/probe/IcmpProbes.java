package io.github.jmeterportscan.probe;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * ICMP host-discovery probes as nmap sends them: an echo request (-PE; ICMPv6 for IPv6 targets)
 * and an ICMP timestamp request (-PP, IPv4 only), each a complete IP datagram with no payload
 * beyond the message itself. The identifier tells our replies from anyone else's.
 */
public final class IcmpProbes {
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int PROTO_ICMP = 1;
    private static final int PROTO_ICMPV6 = 58;
    public static final int ECHO_REQUEST = 8;
    public static final int ECHO_REPLY = 0;
    public static final int TIMESTAMP_REQUEST = 13;
    public static final int TIMESTAMP_REPLY = 14;
    public static final int ECHO_REQUEST_V6 = 128;
    public static final int ECHO_REPLY_V6 = 129;

    private IcmpProbes() {
    }

    /** An echo request from {@code source} to {@code destination} (ICMPv6 when they are IPv6). */
    public static byte[] echo(InetAddress source, InetAddress destination, int id, int sequence, int ttl) {
        if (destination instanceof Inet4Address) {
            return icmpV4(source, destination, ECHO_REQUEST, 8, id, sequence, ttl);
        }
        byte[] p = new byte[IPV6_HEADER + 8];
        p[0] = 0x60;
        Bytes.put16(p, 4, 8);
        p[6] = PROTO_ICMPV6;
        p[7] = (byte) ttl;
        System.arraycopy(source.getAddress(), 0, p, 8, 16);
        System.arraycopy(destination.getAddress(), 0, p, 24, 16);
        p[IPV6_HEADER] = (byte) ECHO_REQUEST_V6;
        Bytes.put16(p, IPV6_HEADER + 4, id);
        Bytes.put16(p, IPV6_HEADER + 6, sequence);
        long sum = Bytes.sum16(p, 8, 32) + 8 + PROTO_ICMPV6 + Bytes.sum16(p, IPV6_HEADER, 8);
        Bytes.put16(p, IPV6_HEADER + 2, Bytes.finish(sum));
        return p;
    }

    /** A timestamp request (IPv4 only: ICMPv6 has none). */
    public static byte[] timestamp(InetAddress source, InetAddress destination, int id, int sequence, int ttl) {
        if (!(destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("ICMP timestamp requests exist for IPv4 only: " + destination);
        }
        return icmpV4(source, destination, TIMESTAMP_REQUEST, 20, id, sequence, ttl);
    }

    private static byte[] icmpV4(InetAddress source, InetAddress destination, int type, int icmpLength, int id,
            int sequence, int ttl) {
        byte[] p = new byte[IPV4_HEADER + icmpLength];
        p[0] = 0x45;
        Bytes.put16(p, 2, p.length);
        p[8] = (byte) ttl;
        p[9] = PROTO_ICMP;
        System.arraycopy(source.getAddress(), 0, p, 12, 4);
        System.arraycopy(destination.getAddress(), 0, p, 16, 4);
        Bytes.put16(p, 10, Bytes.finish(Bytes.sum16(p, 0, IPV4_HEADER)));
        p[IPV4_HEADER] = (byte) type;
        Bytes.put16(p, IPV4_HEADER + 4, id);
        Bytes.put16(p, IPV4_HEADER + 6, sequence);
        Bytes.put16(p, IPV4_HEADER + 2, Bytes.finish(Bytes.sum16(p, IPV4_HEADER, icmpLength)));
        return p;
    }
}
