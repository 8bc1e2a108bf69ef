package io.github.jmeterportscan.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Fuzz;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of {@link PacketDecoder#decode}, which reads whatever a capture delivers: for any
 * bytes and any window inside them it answers true or false and never throws, it reads nothing
 * outside the window, and replies built with the codec decode to the fields they were built with,
 * also when cut short or damaged (then false, or the same fields).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PacketDecoderPropertyTest {
    private static final int PROTO_TCP = 6;

    /** Bytes with the first one often an IPv4 or IPv6 version nibble, so decoding goes past the first check. */
    static Gen<byte[]> bytes(int maxLength) {
        Gen<Integer> first = Generate.frequency(List.of(Pair.of(3, integers().between(0x40, 0x4f)),
                Pair.of(3, Generate.constant(0x60)), Pair.of(1, integers().between(0, 255))));
        Gen<byte[]> bytes = first.zip(lists().of(integers().between(0, 255)).ofSizeBetween(0, maxLength),
                (head, rest) -> {
                    byte[] b = new byte[rest.size() + 1];
                    b[0] = (byte) (int) head;
                    for (int i = 0; i < rest.size(); i++) {
                        b[i + 1] = (byte) (int) rest.get(i);
                    }
                    return b;
                });
        return bytes.describedAs(b -> HexFormat.of().formatHex(b));
    }

    /** A window [off, end) inside an array of {@code length} bytes, given as two fractions of it. */
    private static int[] window(int length, int a, int b) {
        int off = a % (length + 1);
        int end = off + b % (length - off + 1);
        return new int[] {off, end};
    }

    /** The fields decode set, or "false"; a packet decoded twice must give the same text. */
    private static String decoded(byte[] b, int off, int end) {
        DecodedPacket p = new DecodedPacket();
        if (!PacketDecoder.decode(b, off, end, p)) {
            return "false";
        }
        return p.kind + " v6=" + p.ipv6 + " ttl=" + p.ttl + " src=" + p.srcHi + "/" + p.srcLo + " dst=" + p.dstHi
                + "/" + p.dstLo + " ports=" + p.srcPort + ">" + p.dstPort + " seq=" + p.seq + " ack=" + p.ack
                + " flags=" + p.flags + " win=" + p.window + (p.kind == DecodedPacket.ICMP_ERROR
                ? " icmp=" + p.icmpType + "/" + p.icmpCode + " quoted=" + p.quotedSrcHi + "/" + p.quotedSrcLo + ">"
                        + p.quotedDstHi + "/" + p.quotedDstLo : "");
    }

    @Test
    void anyBytesInAnyWindowDecodeWithoutThrowing() {
        Fuzz.qt().forAll(bytes(120), integers().allPositive(), integers().allPositive()).checkAssert((b, x, y) -> {
            int[] w = window(b.length, x, y);
            decoded(b, w[0], w[1]);
        });
    }

    /** Bytes outside [off, end) are never read: junk around the window changes nothing. */
    @Test
    void nothingOutsideTheWindowIsRead() {
        Fuzz.qt().forAll(packets(), bytes(30), bytes(30)).checkAssert((packet, before, after) -> {
            byte[] framed = new byte[before.length + packet.length + after.length];
            System.arraycopy(before, 0, framed, 0, before.length);
            System.arraycopy(packet, 0, framed, before.length, packet.length);
            System.arraycopy(after, 0, framed, before.length + packet.length, after.length);
            assertEquals(decoded(packet, 0, packet.length),
                    decoded(framed, before.length, before.length + packet.length));
        });
    }

    /** Replies built with the codec decode to what they were built with. */
    @Test
    void builtRepliesDecodeToTheirFields() {
        Fuzz.qt().forAll(replies()).checkAssert(reply -> {
            DecodedPacket p = new DecodedPacket();
            assertTrue(PacketDecoder.decode(reply.bytes(), 0, reply.bytes().length, p), reply::toString);
            assertEquals(reply.kind(), p.kind);
            assertEquals(reply.ipv6(), p.ipv6);
            assertEquals(reply.srcPort(), p.srcPort);
            assertEquals(reply.dstPort(), p.dstPort);
            assertEquals(reply.seq(), p.seq);
            assertEquals(reply.ttl(), p.ttl);
            assertEquals(reply.flags(), p.flags);
        });
    }

    /** Cut anywhere, a reply decodes to nothing or to the same fields as whole. */
    @Test
    void truncatedRepliesDecodeToNothingOrTheSame() {
        Fuzz.qt().forAll(packets(), integers().allPositive()).checkAssert((packet, cut) -> {
            int length = cut % (packet.length + 1);
            String whole = decoded(packet, 0, packet.length);
            String part = decoded(Arrays.copyOf(packet, length), 0, length);
            assertTrue(part.equals("false") || part.equals(whole), () -> length + " of " + packet.length
                    + " bytes gave " + part + ", whole " + whole);
        });
    }

    /**
     * Damaged replies (any bytes changed, lengths and header fields included), cut anywhere and
     * framed by junk, still decode without throwing and without reading past the cut.
     */
    @Test
    void damagedRepliesDecodeWithoutThrowing() {
        Gen<List<Integer>> edits = lists().of(integers().allPositive()).ofSizeBetween(2, 16);
        Fuzz.qt().forAll(packets(), edits, integers().allPositive()).checkAssert((packet, changes, cut) -> {
            byte[] b = packet.clone();
            for (int i = 0; i + 1 < changes.size(); i += 2) {
                b[changes.get(i) % b.length] = (byte) (int) changes.get(i + 1);
            }
            int end = cut % (b.length + 1);
            byte[] framed = new byte[b.length + 8];
            Arrays.fill(framed, (byte) 0x45);
            System.arraycopy(b, 0, framed, 4, end);
            assertEquals(decoded(Arrays.copyOf(b, end), 0, end), decoded(framed, 4, 4 + end));
        });
    }

    private Gen<byte[]> packets() {
        return replies().map((Reply r) -> r.bytes()).describedAs(b -> HexFormat.of().formatHex(b));
    }

    /** A reply as the codec builds it, with the fields decoding must find. */
    record Reply(byte[] bytes, int kind, boolean ipv6, int srcPort, int dstPort, int seq, int ttl, int flags) {
        @Override
        public String toString() {
            return "Reply" + Arrays.toString(bytes);
        }
    }

    private static InetAddress address(boolean ipv6, int last) {
        byte[] raw = ipv6 ? new byte[16] : new byte[] {(byte) 198, 18, 0, 0};
        if (ipv6) {
            raw[0] = 0x20;
            raw[1] = 0x01;
            raw[2] = 0x0d;
            raw[3] = (byte) 0xb8;
        }
        raw[raw.length - 1] = (byte) last;
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TCP replies (a probe template with the roles swapped, the flags of a SYN-ACK or RST) and ICMP
     * or ICMPv6 errors quoting a probe, some IPv6 ones behind extension headers.
     */
    static Gen<Reply> replies() {
        Gen<Integer> port = integers().between(0, 65535);
        Gen<Integer> seq = integers().all();
        Gen<Integer> ttl = integers().between(0, 255);
        Gen<Integer> flags = Generate.pick(List.of(0x12, 0x14, 0x04, 0x10));
        Gen<Integer> extensions = Generate.frequency(List.of(Pair.of(3, Generate.constant(0)),
                Pair.of(1, integers().between(1, 3))));
        Gen<Boolean> icmp = booleans().all();
        return booleans().all().zip(port, port, seq, (ipv6, src, dst, s) -> new int[] {ipv6 ? 1 : 0, src, dst, s})
                .zip(ttl, flags, icmp, (a, t, f, i) -> new int[] {a[0], a[1], a[2], a[3], t, f, i ? 1 : 0})
                .zip(extensions, (a, ext) -> build(a[0] == 1, a[1], a[2], a[3], a[4], a[5], a[6] == 1, ext));
    }

    private static Reply build(boolean ipv6, int srcPort, int dstPort, int seq, int ttl, int flags, boolean icmp,
            int extensions) {
        InetAddress us = address(ipv6, 1);
        InetAddress them = address(ipv6, 2);
        if (!icmp) {
            ProbeTemplate reply = new ProbeTemplate(ScanType.SYN, them, us, srcPort, ttl);
            byte[] b = reply.fill(dstPort, seq).clone();
            int tcp = ipv6 ? 40 : 20;
            b[tcp + 13] = (byte) flags;
            b = withExtensionHeaders(b, ipv6, extensions);
            return new Reply(b, DecodedPacket.TCP, ipv6, srcPort, dstPort, seq, ttl, flags);
        }
        // An error about our probe from us:srcPort to them:dstPort, quoting it.
        byte[] quoted = new ProbeTemplate(ScanType.SYN, us, them, srcPort, 64).fill(dstPort, seq).clone();
        int ipHeader = ipv6 ? 40 : 20;
        byte[] b = new byte[ipHeader + 8 + quoted.length];
        if (ipv6) {
            b[0] = 0x60;
            Bytes.put16(b, 4, 8 + quoted.length);
            b[6] = 58;
            b[7] = (byte) ttl;
            System.arraycopy(them.getAddress(), 0, b, 8, 16);
            System.arraycopy(us.getAddress(), 0, b, 24, 16);
            b[ipHeader] = 1;
        } else {
            b[0] = 0x45;
            Bytes.put16(b, 2, b.length);
            b[8] = (byte) ttl;
            b[9] = 1;
            System.arraycopy(them.getAddress(), 0, b, 12, 4);
            System.arraycopy(us.getAddress(), 0, b, 16, 4);
            b[ipHeader] = 3;
        }
        b[ipHeader + 1] = 4;
        System.arraycopy(quoted, 0, b, ipHeader + 8, quoted.length);
        return new Reply(withExtensionHeaders(b, ipv6, extensions), DecodedPacket.ICMP_ERROR, ipv6, srcPort, dstPort,
                seq, ttl, 0);
    }

    /** Puts {@code count} destination-options headers (8 bytes each) after an IPv6 header. */
    private static byte[] withExtensionHeaders(byte[] packet, boolean ipv6, int count) {
        if (!ipv6 || count == 0) {
            return packet;
        }
        byte[] b = new byte[packet.length + 8 * count];
        System.arraycopy(packet, 0, b, 0, 40);
        int next = b[6] & 0xff;
        b[6] = 60;
        for (int i = 0; i < count; i++) {
            int at = 40 + 8 * i;
            b[at] = (byte) (i == count - 1 ? next : 60);
            b[at + 1] = 0; // (0 + 1) * 8 bytes
        }
        System.arraycopy(packet, 40, b, 40 + 8 * count, packet.length - 40);
        Bytes.put16(b, 4, Bytes.u16(packet, 4) + 8 * count);
        return b;
    }

    @Test
    void extensionHeadersLeadToTheTcpHeader() {
        Reply plain = build(true, 443, 40000, 7, 64, 0x12, false, 0);
        Reply behind = build(true, 443, 40000, 7, 64, 0x12, false, 3);
        assertEquals(decoded(plain.bytes(), 0, plain.bytes().length),
                decoded(behind.bytes(), 0, behind.bytes().length));
        assertEquals(PROTO_TCP, behind.bytes()[40 + 16] & 0xff, "the last extension header names TCP");
    }
}
