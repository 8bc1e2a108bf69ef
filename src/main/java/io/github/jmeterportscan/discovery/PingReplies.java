package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.probe.IcmpProbes;
import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Collection;

/**
 * Reads a captured datagram as an answer to our IP discovery probes, with nmap's rules
 * (get_ping_pcap_result): an echo or timestamp reply carrying our identifier; a TCP RST or
 * SYN-ACK to our source port acknowledging our sequence number ({@code reset}, {@code syn-ack});
 * an ICMP port or protocol unreachable from the target itself about one of our probes. Other ICMP
 * errors (host unreachable from a router) are only a hint in nmap's reading and decide nothing.
 *
 * @param sources     our source addresses' bytes: a datagram to anyone else is not ours
 * @param hosts       target address to host index
 * @param icmpId      the identifier of our echo and timestamp requests
 * @param sourcePort  the TCP source port of our probes
 * @param sequence    the sequence number of our SYN probes (and the ack number of our ACK probes)
 */
record PingReplies(Collection<byte[]> sources, Map<InetAddress, Integer> hosts, int icmpId, int sourcePort,
        int sequence) {
    private static final int TCP = 6;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;
    private static final int RST = 0x04;
    private static final int SYN_ACK = 0x12;

    /** The probe numbers answers carry: echo, timestamp, and a SYN and an ACK per port. */
    static final int ECHO_PROBE = 0;
    static final int TIMESTAMP_PROBE = 1;

    static int synProbe(int port) {
        return 2 + 2 * port;
    }

    static int ackProbe(int port) {
        return 3 + 2 * port;
    }

    /** The answer {@code frame} gives, or null when it answers none of our probes. */
    PingAnswer read(byte[] f, int ip, int len, long wireNanos) {
        if (len < ip + 20) {
            return null;
        }
        boolean v6 = (f[ip] & 0xf0) == 0x60;
        int headerLength = v6 ? 40 : (f[ip] & 0x0f) * 4;
        int protocol = f[ip + (v6 ? 6 : 9)] & 0xff;
        int ttl = f[ip + (v6 ? 7 : 8)] & 0xff;
        int addrLength = v6 ? 16 : 4;
        int l4 = ip + headerLength;
        // The handler runs on the capture thread for every packet to us: reject before allocating.
        if (len < l4 + 8 || protocol != TCP && protocol != ICMP && protocol != ICMPV6
                || !isSource(f, ip + (v6 ? 24 : 16), addrLength)) {
            return null;
        }
        InetAddress src = address(f, ip + (v6 ? 8 : 12), addrLength);
        if (protocol == TCP) {
            return tcp(f, l4, len, src, ttl, wireNanos);
        }
        if (protocol == ICMP || protocol == ICMPV6) {
            return icmp(f, l4, len, src, ttl, v6, wireNanos);
        }
        return null;
    }

    private PingAnswer tcp(byte[] f, int tcp, int len, InetAddress src, int ttl, long wireNanos) {
        Integer host = hosts.get(src);
        if (host == null || len < tcp + 20 || u16(f, tcp + 2) != sourcePort) {
            return null;
        }
        int flags = f[tcp + 13] & 0x3f;
        int seq = i32(f, tcp + 4);
        int ack = i32(f, tcp + 8);
        // A reply to a SYN acknowledges our sequence number; a RST answering an ACK carries our ack as its seq.
        boolean ours = ack == sequence + 1 || ((flags & RST) != 0 && seq == sequence);
        if (!ours) {
            return null;
        }
        int port = u16(f, tcp);
        int probe = ack == sequence + 1 ? synProbe(port) : ackProbe(port);
        if ((flags & RST) != 0) {
            return answer(host, probe, Reason.RESET, ttl, wireNanos);
        }
        if ((flags & SYN_ACK) == SYN_ACK) {
            return answer(host, probe, Reason.SYN_ACK, ttl, wireNanos);
        }
        return null;
    }

    private PingAnswer icmp(byte[] f, int icmp, int len, InetAddress src, int ttl, boolean v6, long wireNanos) {
        int type = f[icmp] & 0xff;
        int code = f[icmp + 1] & 0xff;
        boolean echoReply = v6 ? type == IcmpProbes.ECHO_REPLY_V6 : type == IcmpProbes.ECHO_REPLY;
        if (echoReply || !v6 && type == IcmpProbes.TIMESTAMP_REPLY) {
            Integer host = hosts.get(src);
            if (host == null || u16(f, icmp + 4) != icmpId) {
                return null;
            }
            return answer(host, echoReply ? ECHO_PROBE : TIMESTAMP_PROBE,
                    echoReply ? Reason.ECHO_REPLY : Reason.TIMESTAMP_REPLY, ttl, wireNanos);
        }
        boolean unreachable = v6 ? type == 1 : type == 3;
        if (!unreachable) {
            return null;
        }
        int quoted = icmp + 8;
        int[] probe = new int[1];
        Integer host = quotedHost(f, quoted, len, v6, probe);
        boolean fromTarget = host != null && hosts.get(src) != null && hosts.get(src).equals(host);
        boolean portOrProtocol = v6 ? code == 4 : code == 2 || code == 3;
        if (!fromTarget || !portOrProtocol) {
            return null;
        }
        Reason reason = v6 || code == 3 ? Reason.PORT_UNREACH : Reason.PROTO_UNREACH;
        return answer(host, probe[0], reason, ttl, wireNanos);
    }

    /** The host a quoted probe of ours went to, or null when the quote is not of one of ours. */
    private Integer quotedHost(byte[] f, int q, int len, boolean v6, int[] probe) {
        if (len < q + (v6 ? 40 : 20) + 8) {
            return null;
        }
        int headerLength = v6 ? 40 : (f[q] & 0x0f) * 4;
        int protocol = f[q + (v6 ? 6 : 9)] & 0xff;
        int addrLength = v6 ? 16 : 4;
        InetAddress dst = address(f, q + (v6 ? 24 : 16), addrLength);
        int l4 = q + headerLength;
        if (len < l4 + 8 || !isSource(f, q + (v6 ? 8 : 12), addrLength)) {
            return null;
        }
        boolean ours = protocol == TCP ? u16(f, l4) == sourcePort && i32(f, l4 + 4) == sequence
                : (protocol == ICMP || protocol == ICMPV6) && u16(f, l4 + 4) == icmpId;
        if (!ours) {
            return null;
        }
        if (protocol == TCP) {
            // A full quote shows the probe's flags; an 8-byte one leaves a SYN as the likelier probe.
            boolean ackFlag = len >= l4 + 14 && (f[l4 + 13] & 0x12) == 0x10;
            probe[0] = ackFlag ? ackProbe(u16(f, l4 + 2)) : synProbe(u16(f, l4 + 2));
        } else {
            probe[0] = (f[l4] & 0xff) == IcmpProbes.TIMESTAMP_REQUEST ? TIMESTAMP_PROBE : ECHO_PROBE;
        }
        return hosts.get(dst);
    }

    private boolean isSource(byte[] f, int offset, int length) {
        for (byte[] source : sources) {
            if (source.length == length && Arrays.equals(f, offset, offset + length, source, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private static PingAnswer answer(int host, int probe, Reason reason, int ttl, long wireNanos) {
        return new PingAnswer(host, probe, HostStatus.up(reason, ttl), wireNanos, Optional.empty());
    }

    private static InetAddress address(byte[] f, int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(f, offset, offset + length));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int u16(byte[] f, int off) {
        return ((f[off] & 0xff) << 8) | (f[off + 1] & 0xff);
    }

    private static int i32(byte[] f, int off) {
        return ((f[off] & 0xff) << 24) | ((f[off + 1] & 0xff) << 16) | ((f[off + 2] & 0xff) << 8) | (f[off + 3] & 0xff);
    }
}
