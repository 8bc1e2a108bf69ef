package io.github.jmeterportscan.probe;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IP address as two longs, so the hot path compares and hashes addresses without objects.
 * IPv4 addresses get {@link #IPV4_HI} as their high half, which no unicast IPv6 address has.
 */
public final class AddressBits {
    public static final long IPV4_HI = -1L;

    private AddressBits() {
    }

    public static long hi(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address ? IPV4_HI : Bytes.i64(b, 0);
    }

    public static long lo(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address ? Bytes.i32(b, 0) & 0xffffffffL : Bytes.i64(b, 8);
    }

    static long ipv4(byte[] packet, int off) {
        return Bytes.i32(packet, off) & 0xffffffffL;
    }
}
