package io.github.jmeterportscan.probe;

import io.github.jmeterportscan.spec.ScanType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A prebuilt probe datagram (IPv4 or IPv6 header + TCP header) toward one host from one source
 * port. Sending a probe patches only the destination port, sequence/ack numbers, IP ID and the
 * checksums; everything else is computed once. Not thread-safe: one template per scan loop.
 *
 * <p>Probes look like nmap's: SYN with window 1024 and an MSS option of 1460; ACK with window 1024
 * and no options.
 */
public final class ProbeTemplate {
    /** The TCP window of every probe, as nmap's. */
    public static final int WINDOW = 1024;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_ACK = 0x10;
    /** FIN, SYN, RST and ACK: the flags that tell a probe (a bare SYN or a bare ACK) from a reply. */
    private static final int PROBE_FLAG_MASK = 0x17;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int PROTO_TCP = 6;

    private final byte[] packet;
    private final boolean ipv6;
    private final int ipHeaderLength;
    private final int tcpLength;
    private final boolean ackProbe;
    private final int sourcePort;
    /** One's-complement sum of the pseudo-header and every TCP word that never changes (source port left out). */
    private final long constantTcpSum;

    public ProbeTemplate(ScanType type, InetAddress source, InetAddress destination, int sourcePort, int ttl) {
        if (!type.isRaw()) {
            throw new IllegalArgumentException("no raw probes for " + type);
        }
        if ((source instanceof Inet4Address) != (destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("source and destination families differ: " + source + " -> " + destination);
        }
        this.ipv6 = !(destination instanceof Inet4Address);
        this.ackProbe = type == ScanType.ACK;
        this.ipHeaderLength = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        this.tcpLength = ackProbe ? 20 : 24;
        this.packet = new byte[ipHeaderLength + tcpLength];
        byte[] src = source.getAddress();
        byte[] dst = destination.getAddress();
        if (ipv6) {
            writeIpv6Header(src, dst, ttl);
        } else {
            writeIpv4Header(src, dst, ttl);
        }
        this.sourcePort = sourcePort;
        writeTcpHeader();
        this.constantTcpSum = pseudoHeaderSum(src, dst) + Bytes.sum16(packet, ipHeaderLength, tcpLength);
    }

    private void writeIpv4Header(byte[] src, byte[] dst, int ttl) {
        packet[0] = 0x45;
        Bytes.put16(packet, 2, packet.length);
        packet[8] = (byte) ttl;
        packet[9] = PROTO_TCP;
        System.arraycopy(src, 0, packet, 12, 4);
        System.arraycopy(dst, 0, packet, 16, 4);
    }

    private void writeIpv6Header(byte[] src, byte[] dst, int hopLimit) {
        packet[0] = 0x60;
        Bytes.put16(packet, 4, tcpLength);
        packet[6] = PROTO_TCP;
        packet[7] = (byte) hopLimit;
        System.arraycopy(src, 0, packet, 8, 16);
        System.arraycopy(dst, 0, packet, 24, 16);
    }

    private void writeTcpHeader() {
        int t = ipHeaderLength;
        packet[t + 12] = (byte) ((tcpLength / 4) << 4);
        packet[t + 13] = (byte) (ackProbe ? TCP_ACK : TCP_SYN);
        Bytes.put16(packet, t + 14, WINDOW);
        if (!ackProbe) {
            packet[t + 20] = 2;     // MSS option kind
            packet[t + 21] = 4;     // option length
            Bytes.put16(packet, t + 22, 1460);
        }
    }

    private long pseudoHeaderSum(byte[] src, byte[] dst) {
        return Bytes.sum16(src, 0, src.length) + Bytes.sum16(dst, 0, dst.length) + PROTO_TCP + tcpLength;
    }

    /**
     * Fills in the per-probe fields and returns the datagram (valid until the next call).
     *
     * @param destinationPort the port probed
     * @param sequence        the cookie: sent as seq, and as ack too in an ACK probe (a RST
     *                        answering an ACK echoes our ack as its seq)
     */
    public byte[] fill(int destinationPort, int sequence) {
        return fill(sourcePort, destinationPort, sequence);
    }

    /**
     * As {@link #fill(int, int)}, from another source port than the template's: nmap sends each
     * retransmission from its own source port, so that it is a new connection to the target.
     */
    public byte[] fill(int probeSourcePort, int destinationPort, int sequence) {
        int t = ipHeaderLength;
        Bytes.put16(packet, t, probeSourcePort);
        Bytes.put16(packet, t + 2, destinationPort);
        Bytes.put32(packet, t + 4, sequence);
        long sum = constantTcpSum + probeSourcePort + destinationPort + (sequence >>> 16) + (sequence & 0xffff);
        if (ackProbe) {
            Bytes.put32(packet, t + 8, sequence);
            sum += (sequence >>> 16) + (sequence & 0xffff);
        }
        Bytes.put16(packet, t + 16, Bytes.finish(sum));
        if (!ipv6) {
            Bytes.put16(packet, 4, ThreadLocalRandom.current().nextInt(1, 0x10000));
            Bytes.put16(packet, 10, 0);
            Bytes.put16(packet, 10, Bytes.finish(Bytes.sum16(packet, 0, IPV4_HEADER)));
        }
        return packet;
    }

    /**
     * Whether a TCP segment with these flags and window looks like one of our probes: a bare SYN
     * or a bare ACK with our window. No reply to a probe looks like that (replies carry RST or
     * SYN and ACK together), so the capture tells the probes it sees leave from their replies.
     */
    public static boolean looksLikeProbe(int flags, int window) {
        int probeFlags = flags & PROBE_FLAG_MASK;
        return window == WINDOW && (probeFlags == TCP_SYN || probeFlags == TCP_ACK);
    }

    public int length() {
        return packet.length;
    }
}
