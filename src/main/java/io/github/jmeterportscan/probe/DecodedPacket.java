package io.github.jmeterportscan.probe;

/**
 * The fields of one captured packet that matter to a port scan, read at fixed offsets. Mutable and
 * reused by one receive handler, so decoding allocates nothing.
 */
public final class DecodedPacket {
    public static final int TCP = 1;
    public static final int ICMP_ERROR = 2;

    /** {@link #TCP} or {@link #ICMP_ERROR}. */
    public int kind;
    public boolean ipv6;
    /** Addresses of the captured packet (for ICMP: of the error, i.e. from the router or host). */
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    /** TTL (IPv4) or hop limit (IPv6) of the captured packet. */
    public int ttl;

    /** The TCP segment (kind TCP) or the TCP header quoted in the ICMP error (kind ICMP_ERROR). */
    public int srcPort;
    public int dstPort;
    public int seq;
    public int ack;
    public int flags;
    public int window;

    public int icmpType;
    public int icmpCode;
    /** Addresses of the quoted probe (kind ICMP_ERROR): our source and the probed host. */
    public long quotedSrcHi;
    public long quotedSrcLo;
    public long quotedDstHi;
    public long quotedDstLo;
}
