package io.github.jmeterportscan.probe;

/**
 * Reads TCP segments and ICMP/ICMPv6 errors quoting a TCP header out of raw IP packets. Checksums
 * are deliberately not verified: packets captured on loopback carry unfinalised ones.
 */
public final class PacketDecoder {
    private static final int PROTO_TCP = 6;
    private static final int PROTO_ICMP = 1;
    private static final int PROTO_ICMPV6 = 58;
    private static final int TCP_MIN = 20;
    /** An ICMP error must quote at least the TCP ports and sequence number. */
    private static final int QUOTED_TCP_MIN = 8;

    private PacketDecoder() {
    }

    /**
     * Decodes the packet starting at {@code off}; returns false for anything a TCP scan cannot use
     * (other protocols, truncated packets, ICMP that is not an error quoting TCP).
     */
    public static boolean decode(byte[] b, int off, int end, DecodedPacket out) {
        if (end - off < 20) {
            return false;
        }
        int version = (b[off] & 0xf0) >>> 4;
        if (version == 4) {
            return decodeIpv4(b, off, end, out);
        }
        if (version == 6) {
            return decodeIpv6(b, off, end, out);
        }
        return false;
    }

    private static boolean decodeIpv4(byte[] b, int off, int end, DecodedPacket out) {
        int headerLength = (b[off] & 0x0f) * 4;
        if (headerLength < 20 || end - off < headerLength) {
            return false;
        }
        end = Math.min(end, off + Bytes.u16(b, off + 2));
        out.ipv6 = false;
        out.ttl = Bytes.u8(b, off + 8);
        out.srcHi = AddressBits.IPV4_HI;
        out.srcLo = AddressBits.ipv4(b, off + 12);
        out.dstHi = AddressBits.IPV4_HI;
        out.dstLo = AddressBits.ipv4(b, off + 16);
        int protocol = Bytes.u8(b, off + 9);
        int payload = off + headerLength;
        if (protocol == PROTO_TCP) {
            return decodeTcp(b, payload, end, out);
        }
        if (protocol == PROTO_ICMP && end - payload >= 8) {
            int type = Bytes.u8(b, payload);
            if (type != 3 && type != 11) {
                return false;
            }
            out.icmpType = type;
            out.icmpCode = Bytes.u8(b, payload + 1);
            return decodeQuotedIpv4(b, payload + 8, end, out);
        }
        return false;
    }

    private static boolean decodeQuotedIpv4(byte[] b, int off, int end, DecodedPacket out) {
        if (end - off < 20 || (b[off] & 0xf0) != 0x40) {
            return false;
        }
        int headerLength = (b[off] & 0x0f) * 4;
        if (headerLength < 20 || Bytes.u8(b, off + 9) != PROTO_TCP || end - off < headerLength + QUOTED_TCP_MIN) {
            return false;
        }
        out.quotedSrcHi = AddressBits.IPV4_HI;
        out.quotedSrcLo = AddressBits.ipv4(b, off + 12);
        out.quotedDstHi = AddressBits.IPV4_HI;
        out.quotedDstLo = AddressBits.ipv4(b, off + 16);
        readQuotedTcp(b, off + headerLength, out);
        out.kind = DecodedPacket.ICMP_ERROR;
        return true;
    }

    private static boolean decodeIpv6(byte[] b, int off, int end, DecodedPacket out) {
        if (end - off < 40) {
            return false;
        }
        end = Math.min(end, off + 40 + Bytes.u16(b, off + 4));
        out.ipv6 = true;
        out.ttl = Bytes.u8(b, off + 7);
        out.srcHi = Bytes.i64(b, off + 8);
        out.srcLo = Bytes.i64(b, off + 16);
        out.dstHi = Bytes.i64(b, off + 24);
        out.dstLo = Bytes.i64(b, off + 32);
        int payload = skipExtensionHeaders(b, off + 40, end, Bytes.u8(b, off + 6));
        if (payload < 0) {
            return false;
        }
        int protocol = payload >>> 24;
        payload &= 0xffffff;
        if (protocol == PROTO_TCP) {
            return decodeTcp(b, payload, end, out);
        }
        if (protocol == PROTO_ICMPV6 && end - payload >= 8) {
            int type = Bytes.u8(b, payload);
            if (type < 1 || type > 4) {   // only the error messages quote our probe
                return false;
            }
            out.icmpType = type;
            out.icmpCode = Bytes.u8(b, payload + 1);
            return decodeQuotedIpv6(b, payload + 8, end, out);
        }
        return false;
    }

    private static boolean decodeQuotedIpv6(byte[] b, int off, int end, DecodedPacket out) {
        if (end - off < 40 || (b[off] & 0xf0) != 0x60) {
            return false;
        }
        int payload = skipExtensionHeaders(b, off + 40, end, Bytes.u8(b, off + 6));
        if (payload < 0 || (payload >>> 24) != PROTO_TCP) {
            return false;
        }
        payload &= 0xffffff;
        if (end - payload < QUOTED_TCP_MIN) {
            return false;
        }
        out.quotedSrcHi = Bytes.i64(b, off + 8);
        out.quotedSrcLo = Bytes.i64(b, off + 16);
        out.quotedDstHi = Bytes.i64(b, off + 24);
        out.quotedDstLo = Bytes.i64(b, off + 32);
        readQuotedTcp(b, payload, out);
        out.kind = DecodedPacket.ICMP_ERROR;
        return true;
    }

    /**
     * Walks IPv6 extension headers. Returns (protocol << 24 | offset of its header), or -1 when the
     * chain is truncated or fragmented past the first fragment.
     */
    private static int skipExtensionHeaders(byte[] b, int off, int end, int next) {
        for (int hops = 0; hops < 8; hops++) {
            switch (next) {
                case Ipv6ExtensionHeaders.HOP_BY_HOP, Ipv6ExtensionHeaders.ROUTING,
                        Ipv6ExtensionHeaders.DESTINATION_OPTIONS -> {
                    if (end - off < Ipv6ExtensionHeaders.MIN_LENGTH) {
                        return -1;
                    }
                    int length = Ipv6ExtensionHeaders.length(Bytes.u8(b, off + 1));
                    next = Bytes.u8(b, off);
                    off += length;
                }
                case Ipv6ExtensionHeaders.FRAGMENT -> {
                    // Only the first fragment carries the TCP header.
                    if (end - off < Ipv6ExtensionHeaders.FRAGMENT_LENGTH
                            || (Bytes.u16(b, off + 2) & Ipv6ExtensionHeaders.FRAGMENT_OFFSET_MASK) != 0) {
                        return -1;
                    }
                    next = Bytes.u8(b, off);
                    off += Ipv6ExtensionHeaders.FRAGMENT_LENGTH;
                }
                default -> {
                    return off > end ? -1 : (next << 24) | off;
                }
            }
        }
        return -1;
    }

    private static boolean decodeTcp(byte[] b, int off, int end, DecodedPacket out) {
        if (end - off < TCP_MIN) {
            return false;
        }
        out.kind = DecodedPacket.TCP;
        out.srcPort = Bytes.u16(b, off);
        out.dstPort = Bytes.u16(b, off + 2);
        out.seq = Bytes.i32(b, off + 4);
        out.ack = Bytes.i32(b, off + 8);
        out.flags = Bytes.u8(b, off + 13);
        out.window = Bytes.u16(b, off + 14);
        return true;
    }

    private static void readQuotedTcp(byte[] b, int off, DecodedPacket out) {
        out.srcPort = Bytes.u16(b, off);
        out.dstPort = Bytes.u16(b, off + 2);
        out.seq = Bytes.i32(b, off + 4);
        out.ack = 0;
        out.flags = 0;
        out.window = 0;
    }
}
