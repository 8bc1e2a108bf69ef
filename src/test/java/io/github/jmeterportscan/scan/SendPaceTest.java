package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.spec.Timing;
import io.github.jmeterportscan.spec.TimingOptions;
import org.junit.jupiter.api.Test;

/**
 * The experiment that tells a rate limit from random loss, driven with the outcomes each kind of
 * path produces.
 */
class SendPaceTest {
    private static final long MS = 1_000_000L;
    private static final long TIMEOUT = 100 * MS;
    private static final Timing DEFAULT = new TimingOptions().build();

    /** Before: one probe in ten answered, answers 10 ms apart (a limiter's 100/s), most to retries. */
    private static SendPace afterBurstyLosses(long[] clock) {
        SendPace pace = new SendPace(DEFAULT, 0);
        long now = 4000 * MS;
        for (int i = 0; i < 64; i++) {
            pace.resolved(i % 10 == 0, now);
        }
        for (int i = 0; i < 20; i++) {
            now += 10 * MS;
            pace.answered(true, false, now - MS, now);
            pace.tick(now, TIMEOUT);
        }
        clock[0] = now;
        return pace;
    }

    /** Sends the experiment's sample, {@code answeredOfForty} of them answered, and waits out their timeouts. */
    private static boolean runSample(SendPace pace, long[] clock, int answeredOfForty) {
        long now = clock[0];
        for (int i = 0; i < SendPace.SAMPLE; i++) {
            now += pace.delayNanos();
            pace.sent(now);
            pace.resolved(i < answeredOfForty, now);
        }
        now += TIMEOUT + MS;
        clock[0] = now;
        return pace.tick(now, TIMEOUT);
    }

    @Test
    void aRateLimitKeepsTheSlowerPace() {
        long[] clock = new long[1];
        SendPace pace = afterBurstyLosses(clock);
        assertTrue(pace.testing(), "twenty answers to retransmissions against none to first tries start a test");
        // the answers' pace with a 25% margin: 12.5 ms (within a budget of a quarter of the 4 s so far)
        assertEquals(12_500_000L, pace.delayNanos(), 200_000L);
        assertFalse(runSample(pace, clock, 36), "at the slower pace nearly all come back");
        assertFalse(pace.testing());
        assertEquals(12_500_000L, pace.delayNanos(), 200_000L);
        assertFalse(pace.lossIndependentOfRate());
    }

    @Test
    void randomLossGoesBackToTheOldPaceAndIsNoCongestion() {
        long[] clock = new long[1];
        SendPace pace = afterBurstyLosses(clock);
        assertTrue(pace.testing());
        assertTrue(runSample(pace, clock, 5), "the same share comes back: the loss does not depend on the rate");
        assertEquals(0, pace.delayNanos());
        assertTrue(pace.lossIndependentOfRate());
        // the next test needs twice the evidence
        long now = clock[0];
        for (int i = 0; i < 21; i++) {
            now += MS;
            pace.answered(true, false, now - MS / 2, now);
            pace.tick(now, TIMEOUT);
        }
        assertFalse(pace.testing(), "21 answers to retransmissions are not yet 22");
        now += MS;
        pace.answered(true, false, now - MS / 2, now);
        pace.tick(now, TIMEOUT);
        assertTrue(pace.testing());
    }

    @Test
    void icmpErrorsToRetransmissionsStartNothing() {
        SendPace pace = new SendPace(DEFAULT, 0);
        long now = 0;
        for (int i = 0; i < 64; i++) {
            pace.resolved(false, now);
        }
        for (int i = 0; i < 200; i++) {
            now += MS;
            pace.answered(true, true, now - MS, now);
            pace.tick(now, TIMEOUT);
        }
        assertFalse(pace.testing());
        assertEquals(0, pace.delayNanos());
    }

    @Test
    void theDelayNeverExceedsMaxScanDelay() throws Exception {
        Timing t4 = new TimingOptions().applyTemplate(io.github.jmeterportscan.spec.TimingTemplate.AGGRESSIVE).build();
        SendPace pace = new SendPace(t4, 0);
        long now = 4000 * MS;
        for (int i = 0; i < 64; i++) {
            pace.resolved(false, now);
        }
        for (int i = 0; i < 20 && !pace.testing(); i++) {
            now += 50 * MS;
            pace.answered(true, false, now - MS, now);
            pace.tick(now, TIMEOUT);
        }
        assertTrue(pace.testing());
        assertEquals(10 * MS, pace.delayNanos(), "-T4's --max-scan-delay of 10 ms");
    }
}
