package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Hand-built TCP probes and a reader for the replies, independent of the project's packet codec so
 * the link is tested on its own.
 */
final class TestPackets {
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    private TestPackets() {
    }

    /** Builds a SYN from the link's own address to {@code dst} and sends it through the link. */
    static void sendSyn(PacketLink link, InetAddress dst, int srcPort, int dstPort, int seq) throws IOException {
        byte[] syn = syn(link.sourceAddress(), dst, srcPort, dstPort, seq);
        link.send(syn, 0, syn.length);
    }

    /** An IPv4 or IPv6 datagram carrying a TCP SYN with a correct checksum (IPv4 header checksum left 0). */
    static byte[] syn(InetAddress src, InetAddress dst, int srcPort, int dstPort, int seq) {
        boolean v4 = src instanceof Inet4Address;
        int ipLength = v4 ? 20 : 40;
        byte[] p = new byte[ipLength + 20];
        if (v4) {
            p[0] = 0x45;
            p[2] = (byte) (p.length >>> 8);
            p[3] = (byte) p.length;
            p[8] = 64;
            p[9] = 6;
            System.arraycopy(src.getAddress(), 0, p, 12, 4);
            System.arraycopy(dst.getAddress(), 0, p, 16, 4);
        } else {
            p[0] = 0x60;
            p[5] = 20;
            p[6] = 6;
            p[7] = 64;
            System.arraycopy(src.getAddress(), 0, p, 8, 16);
            System.arraycopy(dst.getAddress(), 0, p, 24, 16);
        }
        int t = ipLength;
        p[t] = (byte) (srcPort >>> 8);
        p[t + 1] = (byte) srcPort;
        p[t + 2] = (byte) (dstPort >>> 8);
        p[t + 3] = (byte) dstPort;
        p[t + 4] = (byte) (seq >>> 24);
        p[t + 5] = (byte) (seq >>> 16);
        p[t + 6] = (byte) (seq >>> 8);
        p[t + 7] = (byte) seq;
        p[t + 12] = 0x50; // data offset 5 words
        p[t + 13] = SYN;
        p[t + 14] = 0x04; // window 1024
        setTcpChecksum(p, ipLength, v4);
        return p;
    }

    /** Recomputes the TCP checksum after ports or sequence changed. */
    static void setTcpChecksum(byte[] p, int tcpOffset, boolean v4) {
        p[tcpOffset + 16] = 0;
        p[tcpOffset + 17] = 0;
        int tcpLength = p.length - tcpOffset;
        long sum = v4 ? InternetChecksum.add(0, p, 12, 8) : InternetChecksum.add(0, p, 8, 32);
        sum += 6 + tcpLength;
        sum = InternetChecksum.add(sum, p, tcpOffset, tcpLength);
        int c = InternetChecksum.finish(sum);
        p[tcpOffset + 16] = (byte) (c >>> 8);
        p[tcpOffset + 17] = (byte) c;
    }

    /** The TCP fields a test looks at. */
    record Segment(InetAddress src, InetAddress dst, int srcPort, int dstPort, long seq, long ack, int flags) {
        boolean has(int flag) {
            return (flags & flag) == flag;
        }
    }

    /** Reads a TCP segment at {@code ipOffset}, or null for anything else. */
    static Segment parse(byte[] f, int ipOffset, int length) {
        try {
            int version = (f[ipOffset] & 0xff) >>> 4;
            int t;
            InetAddress src;
            InetAddress dst;
            if (version == 4) {
                if (f[ipOffset + 9] != 6) {
                    return null;
                }
                t = ipOffset + (f[ipOffset] & 0x0f) * 4;
                src = InetAddress.getByAddress(Arrays.copyOfRange(f, ipOffset + 12, ipOffset + 16));
                dst = InetAddress.getByAddress(Arrays.copyOfRange(f, ipOffset + 16, ipOffset + 20));
            } else if (version == 6) {
                if (f[ipOffset + 6] != 6) {
                    return null;
                }
                t = ipOffset + 40;
                src = InetAddress.getByAddress(Arrays.copyOfRange(f, ipOffset + 8, ipOffset + 24));
                dst = InetAddress.getByAddress(Arrays.copyOfRange(f, ipOffset + 24, ipOffset + 40));
            } else {
                return null;
            }
            if (t + 14 > length) {
                return null;
            }
            return new Segment(src, dst, u16(f, t), u16(f, t + 2), u32(f, t + 4), u32(f, t + 8), f[t + 13] & 0xff);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static int u16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }

    private static long u32(byte[] f, int i) {
        return ((long) u16(f, i) << 16) | u16(f, i + 2);
    }

    /** Collects parsed TCP segments from a capture, for a test thread to wait on. */
    static final class Collector implements PacketHandler {
        private final BlockingQueue<Segment> segments = new LinkedBlockingQueue<>();

        @Override
        public void onPacket(byte[] frame, int ipOffset, int length, long wireNanos) {
            Segment s = parse(frame, ipOffset, length);
            if (s != null) {
                segments.add(s);
            }
        }

        /** Waits (bounded) for a reply from {@code fromPort} to {@code toPort} with all of {@code flags}; or null. */
        Segment awaitReply(int fromPort, int toPort, int flags, long timeoutMillis) throws InterruptedException {
            return await(s -> s.srcPort() == fromPort && s.dstPort() == toPort && s.has(flags), timeoutMillis);
        }

        /** Waits (bounded) for the first segment matching {@code wanted}; null when none came. */
        Segment await(Predicate<Segment> wanted, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                Segment s = segments.poll(left, TimeUnit.NANOSECONDS);
                if (s != null && wanted.test(s)) {
                    return s;
                }
            }
        }
    }
}
