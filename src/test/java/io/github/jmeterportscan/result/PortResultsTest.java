package io.github.jmeterportscan.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jmeterportscan.spec.Target;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortResultsTest {
    @Test
    void keepsEveryFieldOfEveryVerdictInOrder() {
        List<PortResult> expected = new ArrayList<>();
        PortResults.Builder builder = new PortResults.Builder(1);
        PortState[] states = PortState.values();
        Reason[] reasons = Reason.values();
        for (int i = 0; i < 70_000; i++) {
            int port = i % 65536;
            PortState state = states[i % states.length];
            Reason reason = reasons[i % reasons.length];
            int ttl = i % 256;
            long rtt = i % 7 == 0 ? PortResult.NO_RTT : i * 13L;
            expected.add(new PortResult(port, state, reason, ttl, rtt));
            builder.add(port, state, reason, ttl, rtt);
        }
        PortResults built = builder.build();
        assertEquals(expected, built);
        assertEquals(expected.hashCode(), built.hashCode());
        assertEquals(expected.get(65_535), built.get(65_535));
    }

    @Test
    void aRoundTripBeyondAnIntIsCappedAsTheScanLoopCapsIt() {
        PortResults built = new PortResults.Builder(1)
                .add(80, PortState.OPEN, Reason.SYN_ACK, 64, 5_000_000_000L).build();
        assertEquals(Integer.MAX_VALUE, built.get(0).rttMicros());
    }

    @Test
    void isImmutableAndLaterAddsDoNotReachAnEarlierBuild() {
        PortResults.Builder builder = new PortResults.Builder(2).add(22, PortState.OPEN, Reason.SYN_ACK, 64, 10);
        PortResults first = builder.build();
        builder.add(23, PortState.CLOSED, Reason.RESET, 64, 12);
        assertEquals(1, first.size());
        assertEquals(2, builder.build().size());
        assertThrows(UnsupportedOperationException.class,
                () -> first.add(new PortResult(1, PortState.OPEN, Reason.SYN_ACK, 0, 0)));
        assertThrows(UnsupportedOperationException.class, () -> first.set(0, first.get(0)));
    }

    @Test
    void refusesWhatAPortResultRefuses() {
        PortResults.Builder builder = new PortResults.Builder(1);
        assertThrows(IllegalArgumentException.class, () -> builder.add(65_536, PortState.OPEN, Reason.SYN_ACK, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.add(80, PortState.OPEN, Reason.SYN_ACK, 256, 1));
        assertThrows(NullPointerException.class, () -> builder.add(80, null, Reason.SYN_ACK, 64, 1));
    }

    @Test
    void aHostKeepsTheListItWasGivenAndCopiesAnyOther() throws Exception {
        Target target = Target.of(InetAddress.getByName("127.0.0.1"));
        PortResults compact = new PortResults.Builder(1).add(80, PortState.OPEN, Reason.SYN_ACK, 64, 5).build();
        assertSame(compact, new HostResult(target, compact, 0, 1, false, HostTimes.UNKNOWN).ports());
        List<PortResult> mutable = new ArrayList<>(compact);
        HostResult copied = new HostResult(target, mutable, 0, 1, false, HostTimes.UNKNOWN);
        mutable.clear();
        assertEquals(compact, copied.ports());
    }
}
