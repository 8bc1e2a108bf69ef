package io.github.jmeterportscan.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.ScanType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyClassifierTest {
    @Test
    void tcpRepliesFollowNmap() {
        assertEquals("open/syn-ack", text(ReplyClassifier.tcp(ScanType.SYN, 0x12)));
        assertEquals("closed/reset", text(ReplyClassifier.tcp(ScanType.SYN, 0x14)));
        assertEquals("unfiltered/reset", text(ReplyClassifier.tcp(ScanType.ACK, 0x04)));
        assertNull(ReplyClassifier.tcp(ScanType.ACK, 0x12), "a SYN-ACK means nothing to an ACK scan");
        assertNull(ReplyClassifier.tcp(ScanType.SYN, 0x02), "our own SYN seen on loopback");
        assertNull(ReplyClassifier.tcp(ScanType.SYN, 0x10), "a bare ACK");
    }

    @ParameterizedTest
    @CsvSource({"3,0,filtered/net-unreach", "3,1,filtered/host-unreach", "3,2,filtered/proto-unreach",
            "3,3,filtered/port-unreach", "3,9,filtered/net-prohibited", "3,10,filtered/host-prohibited",
            "3,13,filtered/admin-prohibited", "11,0,filtered/time-exceeded", "11,1,filtered/time-exceeded",
            "3,4,", "3,6,", "0,0,", "5,1,"})
    void icmpv4(int type, int code, String expected) {
        assertEquals(expected, text(ReplyClassifier.icmpv4(type, code)));
    }

    @ParameterizedTest
    @CsvSource({"1,0,filtered/no-route", "1,1,filtered/admin-prohibited", "1,2,filtered/beyond-scope",
            "1,3,filtered/host-unreach", "1,4,filtered/port-unreach", "1,5,filtered/admin-prohibited",
            "1,6,filtered/reject-route", "4,0,open/param-problem", "4,1,filtered/param-problem", "4,2,",
            "3,0,", "1,7,"})
    void icmpv6(int type, int code, String expected) {
        assertEquals(expected, text(ReplyClassifier.icmpv6(type, code)));
    }

    @Test
    void laterVerdictsFollowNmapsOverrideRules() {
        assertTrue(ReplyClassifier.replaces(null, PortState.FILTERED));
        assertFalse(ReplyClassifier.replaces(PortState.OPEN, PortState.CLOSED), "open is never replaced");
        assertFalse(ReplyClassifier.replaces(PortState.OPEN, PortState.FILTERED));
        assertFalse(ReplyClassifier.replaces(PortState.CLOSED, PortState.FILTERED), "closed never becomes filtered");
        assertTrue(ReplyClassifier.replaces(PortState.CLOSED, PortState.OPEN));
        assertTrue(ReplyClassifier.replaces(PortState.FILTERED, PortState.OPEN), "a late SYN-ACK wins");
        assertTrue(ReplyClassifier.replaces(PortState.FILTERED, PortState.CLOSED));
        assertFalse(ReplyClassifier.replaces(PortState.UNFILTERED, PortState.FILTERED));
        assertFalse(ReplyClassifier.replaces(PortState.FILTERED, PortState.FILTERED), "first reason stays");
    }

    private static String text(Verdict verdict) {
        return verdict == null ? null : verdict.state().nmapName() + "/" + verdict.reason().nmapName();
    }
}
