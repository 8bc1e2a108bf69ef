package io.github.jmeterportscan.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.spec.ScanType;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.namednumber.TcpOptionKind;

/** Probes are checked by an independent parser (pcap4j's), replies are decoded from real layouts. */
class ProbeCodecTest {
    private static final InetAddress SRC4 = address("198.18.0.1");
    private static final InetAddress DST4 = address("198.18.0.2");
    private static final InetAddress SRC6 = address("2001:db8::1");
    private static final InetAddress DST6 = address("2001:db8::2");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"22, 0", "65535, -1", "1, 123456789", "443, -2023406815"})
    void ipv4SynProbeIsValidForAnIndependentParser(int port, int seq) throws Exception {
        ProbeTemplate template = new ProbeTemplate(ScanType.SYN, SRC4, DST4, 40000, 64);
        byte[] bytes = Arrays.copyOf(template.fill(port, seq), template.length());
        IpV4Packet ip = IpV4Packet.newPacket(bytes, 0, bytes.length);
        assertTrue(ip.getHeader().hasValidChecksum(false), "IPv4 header checksum");
        TcpPacket tcp = ip.get(TcpPacket.class);
        assertTrue(tcp.hasValidChecksum(SRC4, DST4, false), "TCP checksum");
        assertEquals(40000, tcp.getHeader().getSrcPort().valueAsInt());
        assertEquals(port, tcp.getHeader().getDstPort().valueAsInt());
        assertEquals(seq, tcp.getHeader().getSequenceNumber());
        assertTrue(tcp.getHeader().getSyn());
        assertFalse(tcp.getHeader().getAck());
        assertEquals(1024, tcp.getHeader().getWindowAsInt());
        assertEquals(TcpOptionKind.MAXIMUM_SEGMENT_SIZE, tcp.getHeader().getOptions().get(0).getKind());
        assertEquals(64, ip.getHeader().getTtlAsInt());
    }

    @Test
    void ipv6AckProbeEchoesTheCookieInBothNumbers() throws Exception {
        ProbeTemplate template = new ProbeTemplate(ScanType.ACK, SRC6, DST6, 50000, 64);
        int seq = 0x7f00_1234;
        byte[] bytes = Arrays.copyOf(template.fill(8080, seq), template.length());
        IpV6Packet ip = IpV6Packet.newPacket(bytes, 0, bytes.length);
        TcpPacket tcp = ip.get(TcpPacket.class);
        assertTrue(tcp.hasValidChecksum(SRC6, DST6, false), "TCP checksum over the IPv6 pseudo-header");
        assertTrue(tcp.getHeader().getAck());
        assertFalse(tcp.getHeader().getSyn());
        assertEquals(seq, tcp.getHeader().getSequenceNumber());
        assertEquals(seq, tcp.getHeader().getAcknowledgmentNumber());
        assertEquals(40 + 20, template.length());
    }

    @Test
    void decodesATcpReplyAtFixedOffsets() {
        // A SYN-ACK is shaped like our probe with the roles swapped: reuse the template to make one.
        ProbeTemplate reply = new ProbeTemplate(ScanType.SYN, DST4, SRC4, 22, 57);
        byte[] bytes = reply.fill(40000, 99);
        bytes[20 + 13] = 0x12;   // SYN+ACK
        Bytes.put32(bytes, 20 + 8, 1001);
        DecodedPacket packet = new DecodedPacket();
        assertTrue(PacketDecoder.decode(bytes, 0, reply.length(), packet));
        assertEquals(DecodedPacket.TCP, packet.kind);
        assertEquals(22, packet.srcPort);
        assertEquals(40000, packet.dstPort);
        assertEquals(1001, packet.ack);
        assertEquals(0x12, packet.flags);
        assertEquals(57, packet.ttl);
        assertEquals(AddressBits.lo(DST4), packet.srcLo);
        assertEquals(AddressBits.IPV4_HI, packet.srcHi);
    }

    @Test
    void decodesAnIcmpErrorQuotingTheProbe() {
        ProbeTemplate probe = new ProbeTemplate(ScanType.SYN, SRC4, DST4, 40000, 64);
        byte[] quoted = probe.fill(8081, 0x11223344);
        byte[] icmp = new byte[20 + 8 + 28];
        icmp[0] = 0x45;
        Bytes.put16(icmp, 2, icmp.length);
        icmp[8] = 63;
        icmp[9] = 1;
        System.arraycopy(DST4.getAddress(), 0, icmp, 12, 4);
        System.arraycopy(SRC4.getAddress(), 0, icmp, 16, 4);
        icmp[20] = 3;
        icmp[21] = 13;
        System.arraycopy(quoted, 0, icmp, 28, 28);
        DecodedPacket packet = new DecodedPacket();
        assertTrue(PacketDecoder.decode(icmp, 0, icmp.length, packet));
        assertEquals(DecodedPacket.ICMP_ERROR, packet.kind);
        assertEquals(3, packet.icmpType);
        assertEquals(13, packet.icmpCode);
        assertEquals(63, packet.ttl);
        assertEquals(40000, packet.srcPort);
        assertEquals(8081, packet.dstPort);
        assertEquals(0x11223344, packet.seq);
        assertEquals(AddressBits.lo(SRC4), packet.quotedSrcLo);
        assertEquals(AddressBits.lo(DST4), packet.quotedDstLo);
    }

    @Test
    void decodesAnIcmpv6ErrorQuotingTheProbe() {
        ProbeTemplate probe = new ProbeTemplate(ScanType.SYN, SRC6, DST6, 40000, 64);
        byte[] quoted = probe.fill(443, 77);
        byte[] icmp = new byte[40 + 8 + quoted.length];
        icmp[0] = 0x60;
        Bytes.put16(icmp, 4, 8 + quoted.length);
        icmp[6] = 58;
        icmp[7] = 64;
        System.arraycopy(DST6.getAddress(), 0, icmp, 8, 16);
        System.arraycopy(SRC6.getAddress(), 0, icmp, 24, 16);
        icmp[40] = 1;
        icmp[41] = 4;
        System.arraycopy(quoted, 0, icmp, 48, quoted.length);
        DecodedPacket packet = new DecodedPacket();
        assertTrue(PacketDecoder.decode(icmp, 0, icmp.length, packet));
        assertEquals(DecodedPacket.ICMP_ERROR, packet.kind);
        assertTrue(packet.ipv6);
        assertEquals(1, packet.icmpType);
        assertEquals(4, packet.icmpCode);
        assertEquals(443, packet.dstPort);
        assertEquals(77, packet.seq);
        assertEquals(AddressBits.hi(DST6), packet.quotedDstHi);
        assertEquals(AddressBits.lo(DST6), packet.quotedDstLo);
    }

    @Test
    void rejectsTruncatedAndForeignPackets() {
        DecodedPacket packet = new DecodedPacket();
        assertFalse(PacketDecoder.decode(new byte[10], 0, 10, packet));
        byte[] udp = new byte[28];
        udp[0] = 0x45;
        udp[9] = 17;
        Bytes.put16(udp, 2, 28);
        assertFalse(PacketDecoder.decode(udp, 0, udp.length, packet));
        ProbeTemplate probe = new ProbeTemplate(ScanType.SYN, SRC4, DST4, 40000, 64);
        byte[] bytes = probe.fill(1, 1);
        assertFalse(PacketDecoder.decode(bytes, 0, 30, packet), "TCP header cut short");
    }

    @Test
    void cookieDecodesOnlyItsOwnFlowAndTries() {
        SynCookie cookie = SynCookie.random();
        long sh = AddressBits.hi(SRC4);
        long sl = AddressBits.lo(SRC4);
        long dh = AddressBits.hi(DST4);
        long dl = AddressBits.lo(DST4);
        for (int tryNo = 0; tryNo < 11; tryNo++) {
            int seq = cookie.encode(sh, sl, dh, dl, 40000, 80, tryNo);
            assertEquals(tryNo, cookie.decode(sh, sl, dh, dl, 40000, 80, seq));
            assertEquals(-1, cookie.decode(sh, sl, dh, dl, 40000, 81, seq), "another port");
            assertEquals(-1, cookie.decode(sh, sl, dh, dl + 1, 40000, 80, seq), "another host");
        }
        SynCookie other = SynCookie.random();
        int seq = cookie.encode(sh, sl, dh, dl, 40000, 80, 0);
        assertEquals(-1, other.decode(sh, sl, dh, dl, 40000, 80, seq), "another key");
    }
}
