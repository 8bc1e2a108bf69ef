package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offsets of the IP header for the link types a capture can report, and the route answer reader. */
class LinkHeaderTest {

    private static byte[] ethernetFrame(int... etherTypes) {
        byte[] f = new byte[64];
        int at = 12;
        for (int type : etherTypes) {
            f[at] = (byte) (type >>> 8);
            f[at + 1] = (byte) type;
            at += 4; // a VLAN tag is 4 bytes: TPID (written above) and TCI
        }
        return f;
    }

    @Test
    void ethernetOffsetsSkipVlanTags() {
        assertEquals(14, LinkHeader.ETHERNET.payloadOffset(ethernetFrame(0x0800), 64));
        assertEquals(18, LinkHeader.ETHERNET.payloadOffset(ethernetFrame(0x8100, 0x86dd), 64));
        assertEquals(22, LinkHeader.ETHERNET.payloadOffset(ethernetFrame(0x88a8, 0x8100, 0x0800), 64));
        assertEquals(0x86dd, LinkHeader.etherType(ethernetFrame(0x8100, 0x86dd), 18));
        assertEquals(-1, LinkHeader.ETHERNET.payloadOffset(ethernetFrame(0x0800), 14));
    }

    @Test
    void otherLinkTypesHaveFixedHeaders() {
        assertEquals(LinkHeader.ETHERNET, LinkHeader.forDlt(1));
        assertEquals(16, LinkHeader.forDlt(113).payloadOffset(new byte[60], 60));
        assertEquals(20, LinkHeader.forDlt(276).payloadOffset(new byte[60], 60));
        assertEquals(0, LinkHeader.forDlt(12).payloadOffset(new byte[60], 60));
        assertEquals(4, LinkHeader.forDlt(0).payloadOffset(new byte[60], 60));
        assertNull(LinkHeader.forDlt(105)); // 802.11: not something we can read IP from directly
    }

    @Test
    void routeAnswerFieldsAreRead() {
        String json = "[{\"dst\":\"198.18.10.70\",\"gateway\":\"198.18.10.2\",\"dev\":\"pslk0000ah\","
                + "\"prefsrc\":\"198.18.10.1\",\"flags\":[],\"uid\":0,\"cache\":[]}]";
        Map<String, String> fields = Routes.parse(json);
        assertEquals("198.18.10.2", fields.get("gateway"));
        assertEquals("pslk0000ah", fields.get("dev"));
        assertEquals("198.18.10.1", fields.get("prefsrc"));
    }
}
