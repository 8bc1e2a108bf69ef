package io.github.jmeterportscan.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.probe.Ipv6ExtensionHeaders;
import org.junit.jupiter.api.Test;

/** The trace decoder walks IPv6 extension headers as the reply decoder does, to the TCP header behind them. */
class DatagramParserTest {
    private static final int HOP_BY_HOP_BYTES = 8;
    private static final int DESTINATION_OPTIONS_BYTES = 16;

    @Test
    void extensionHeadersLeadToTheTcpHeader() {
        DecodedDatagram d = DatagramParser.parse(ipv6TcpBehindExtensions(0));
        int before = 40 + HOP_BY_HOP_BYTES + DESTINATION_OPTIONS_BYTES + Ipv6ExtensionHeaders.FRAGMENT_LENGTH;
        assertEquals(IpHeader.TCP, d.ip().protocol());
        assertEquals(before, d.ip().headerLength());
        assertFalse(d.ip().fragment());
        assertTrue(d.tcp().isPresent(), "the first fragment carries the TCP header");
        assertEquals(40000, d.tcp().get().sourcePort());
        assertEquals(443, d.tcp().get().destinationPort());
    }

    @Test
    void aLaterFragmentIsMarkedAndCarriesNoTcpHeader() {
        DecodedDatagram d = DatagramParser.parse(ipv6TcpBehindExtensions(185));
        assertTrue(d.ip().fragment());
        assertFalse(d.tcp().isPresent());
    }

    /** IPv6, hop-by-hop options, destination options, a fragment header at {@code fragmentOffset} (8-octet units), TCP. */
    private static byte[] ipv6TcpBehindExtensions(int fragmentOffset) {
        int extensions = HOP_BY_HOP_BYTES + DESTINATION_OPTIONS_BYTES + Ipv6ExtensionHeaders.FRAGMENT_LENGTH;
        byte[] b = new byte[40 + extensions + 20];
        b[0] = 0x60;
        int payload = extensions + 20;
        b[4] = (byte) (payload >>> 8);
        b[5] = (byte) payload;
        b[6] = Ipv6ExtensionHeaders.HOP_BY_HOP;
        b[7] = 64;
        b[23] = 1; // source ::1
        b[39] = 1; // destination ::1
        int at = 40;
        b[at] = Ipv6ExtensionHeaders.DESTINATION_OPTIONS;
        b[at + 1] = 0;
        at += HOP_BY_HOP_BYTES;
        b[at] = Ipv6ExtensionHeaders.FRAGMENT;
        b[at + 1] = 1;
        at += DESTINATION_OPTIONS_BYTES;
        b[at] = IpHeader.TCP;
        int offsetField = fragmentOffset << 3;
        b[at + 2] = (byte) (offsetField >>> 8);
        b[at + 3] = (byte) offsetField;
        at += Ipv6ExtensionHeaders.FRAGMENT_LENGTH;
        b[at] = (byte) (40000 >>> 8);
        b[at + 1] = (byte) 40000;
        b[at + 2] = (byte) (443 >>> 8);
        b[at + 3] = (byte) 443;
        b[at + 12] = 0x50;
        b[at + 13] = 0x12;
        return b;
    }
}
