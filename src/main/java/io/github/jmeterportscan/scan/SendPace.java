package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.Timing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pause between two probes to one host: --scan-delay, raised when the host's answers prove that
 * it limits the rate of its replies, and only then.
 *
 * <p>nmap raises its delay (HostScanStats::boostScanDelay) when more than 30% (-T4 and up: 40%) of
 * the answers since the last raise came to retransmissions. That finds a target that rate-limits
 * its RSTs, but random loss crosses the same threshold, and then every raise only makes the scan
 * slower. The two differ in what can be tested: only under a rate limit does sending slower bring
 * back a larger share of the probes. So that evidence starts an experiment here. The next
 * {@link #SAMPLE} probes leave at the pace at which answers arrived lately (a saturated limiter
 * lets through exactly its rate, so that pace is near the limit; margin {@link #PACE_MARGIN}), or
 * at half the old pace when that is slower. Their share of answers is then set against the share
 * among the last probes before. A clear rise (a one-sided two-proportion z-test at
 * {@link #Z_RISE}) keeps the slower pace; otherwise the old pace comes back, and the next
 * experiment waits for twice as many answered retransmissions. An experiment lasts at most a probe
 * timeout or a quarter of the time the host has taken so far, whichever is longer: short while
 * the loss may well be random, longer once a scan has been slowed for long.
 *
 * <p>A loss that sending slower does not make rarer is no congestion either: once an experiment
 * finds that, the scan's congestion window ignores the host's answers to retransmissions and
 * takes back what they cost it (see {@link CongestionWindow#restore()}). Random loss then costs
 * retries (see {@link RetryAllowance}), not speed.
 *
 * <p>As in nmap, the delay never exceeds --max-scan-delay (or --scan-delay, when larger), and ICMP
 * errors to retransmissions are no evidence (targets rate-limit ICMP so hard that waiting for
 * them would cost far more than the reason they carry). Owned by the scan loop thread.
 */
final class SendPace {
    private static final Logger LOG = LoggerFactory.getLogger(SendPace.class);
    /** Probes sent at the slower pace before their share of answers is judged. */
    static final int SAMPLE = 40;
    /** Fewest resolved probes on either side of an experiment for it to decide anything. */
    private static final int MIN_RESOLVED = 20;
    /** nmap boosts only after more than ten drops since the last change. */
    private static final int FIRST_EVIDENCE = 11;
    private static final double PACE_MARGIN = 1.25;
    private static final double Z_RISE = 2.5;
    /** Outcomes remembered for the share before an experiment: one bit per probe. */
    private static final int RECENT = 64;
    private static final int ANSWER_TIMES = 32;

    private final long floorNanos;
    private final long ceilingNanos;
    private final double dropShare;
    private final long startNanos;
    private long delayNanos;
    /** The latest experiment found that sending slower brings back no larger share of answers. */
    private boolean lossIndependentOfRate;

    /** Answers to retransmissions and to first tries since the last decision (nmap's drops and goods). */
    private int drops;
    private int goods;
    private int dropsNeeded = FIRST_EVIDENCE;
    private long decidedNanos = Long.MIN_VALUE;

    /** The latest resolved probes, newest in bit 0: 1 = answered within its timeout. */
    private long recent;
    private int recentCount;
    /** Arrival times of the latest answers, a ring; allocated at the first evidence of loss. */
    private long[] answerTimes;
    private int answerNext;
    private int answerCount;

    private boolean testing;
    private long delayBefore;
    private int beforeAnswered;
    private int beforeResolved;
    private long testFromNanos;
    private long testLastSentNanos;
    private int testSent;
    private int testAnswered;
    private int testLost;

    SendPace(Timing timing, long startNanos) {
        this.startNanos = startNanos;
        this.floorNanos = timing.scanDelay().toNanos();
        this.ceilingNanos = Math.max(floorNanos, timing.maxScanDelay().toNanos());
        this.dropShare = timing.level() >= 4 ? 0.40 : 0.30;
        this.delayNanos = floorNanos;
    }

    /** The pause after each probe to this host (0: none). */
    long delayNanos() {
        return delayNanos;
    }

    /** Whether an experiment with a slower pace is under way. */
    boolean testing() {
        return testing;
    }

    /**
     * Whether the latest experiment showed that this host's losses do not depend on how fast it is
     * sent to: then they are no sign of congestion either, and the scan's window ignores them.
     */
    boolean lossIndependentOfRate() {
        return lossIndependentOfRate;
    }

    /** A probe to this host left at {@code nowNanos}. */
    void sent(long nowNanos) {
        if (testing && testSent < SAMPLE) {
            testSent++;
            testLastSentNanos = nowNanos;
        }
    }

    /**
     * A probe sent at {@code sentNanos} was answered within its timeout, or timed out. Answers to a
     * try that was no longer the latest, or that came after its timeout, are not outcomes.
     */
    void resolved(boolean answered, long sentNanos) {
        recent = (recent << 1) | (answered ? 1 : 0);
        recentCount = Math.min(RECENT, recentCount + 1);
        if (testing && sentNanos >= testFromNanos && (testSent < SAMPLE || sentNanos <= testLastSentNanos)) {
            if (answered) {
                testAnswered++;
            } else {
                testLost++;
            }
        }
    }

    /**
     * Any answer from the host arrived at {@code nowNanos}, to a try sent at {@code sentNanos}
     * (or earlier). {@code drop}: it answered a retransmission (its first try was lost);
     * {@code neutral}: it is no evidence either way (an ICMP error to a retransmission).
     */
    void answered(boolean drop, boolean neutral, long sentNanos, long nowNanos) {
        if (answerTimes != null) {
            answerTimes[answerNext] = nowNanos;
            answerNext = (answerNext + 1) % ANSWER_TIMES;
            answerCount = Math.min(ANSWER_TIMES, answerCount + 1);
        }
        if (neutral) {
            return;
        }
        if (!drop) {
            goods++;
            return;
        }
        if (answerTimes == null) {
            answerTimes = new long[ANSWER_TIMES];
        }
        // Like nmap, a drop counts only for a probe sent after the last change of pace.
        if (sentNanos > decidedNanos) {
            drops++;
        }
    }

    private void startTest(long nowNanos, long timeoutNanos) {
        long slower = slowerDelay(Math.max(timeoutNanos, (nowNanos - startNanos) / 4));
        if (recentCount < MIN_RESOLVED || slower <= delayNanos) {
            // Too little to compare with yet, or no slower pace allowed: wait for more evidence.
            resetEvidence(nowNanos);
            return;
        }
        testing = true;
        delayBefore = delayNanos;
        long window = recentCount == RECENT ? -1L : (1L << recentCount) - 1;
        beforeAnswered = Long.bitCount(recent & window);
        beforeResolved = recentCount;
        delayNanos = slower;
        testFromNanos = nowNanos;
        testLastSentNanos = nowNanos;
        testSent = 0;
        testAnswered = 0;
        testLost = 0;
        LOG.debug("{} answers to retransmissions against {} to first tries: trying a pause of {} us instead of {} us "
                + "({} of the last {} probes answered)", drops, goods, delayNanos / 1000, delayBefore / 1000,
                beforeAnswered, beforeResolved);
    }

    /**
     * The pace of the latest answers (with a margin), but no slower than the whole sample in
     * {@code budgetNanos}; or half the current pace, if that is slower. 0 when the answers are too
     * few to tell.
     */
    private long slowerDelay(long budgetNanos) {
        if (answerCount < ANSWER_TIMES / 4) {
            return 0;
        }
        int newest = (answerNext + ANSWER_TIMES - 1) % ANSWER_TIMES;
        int oldest = (answerNext + ANSWER_TIMES - answerCount) % ANSWER_TIMES;
        long span = answerTimes[newest] - answerTimes[oldest];
        long answerPace = (long) (PACE_MARGIN * span / (answerCount - 1));
        // Answers also come slowly when the scan itself sends little (it waits for timeouts between
        // rounds of retries): the budget, a probe timeout or a quarter of the time the host has
        // taken so far, keeps such an experiment short, and lets a scan that has been slow for
        // long (as a hard limit makes it) try slower paces.
        long slower = Math.max(Math.min(answerPace, budgetNanos / SAMPLE), 2 * delayNanos);
        return Math.min(ceilingNanos, slower);
    }

    /**
     * Starts an experiment when the evidence calls for one; ends it once every probe of its sample
     * had its timeout ({@code timeoutNanos}), or once the host stopped sending (nothing left to send
     * at the slower pace). Returns true when this experiment is the first to find the host's loss
     * independent of the rate.
     */
    boolean tick(long nowNanos, long timeoutNanos) {
        if (!testing) {
            if (drops >= dropsNeeded && drops > dropShare * (drops + goods)) {
                startTest(nowNanos, timeoutNanos);
            }
            return false;
        }
        long idle = nowNanos - testLastSentNanos;
        boolean sampleOut = testSent >= SAMPLE || idle > delayNanos + timeoutNanos;
        if (!sampleOut || idle <= timeoutNanos) {
            return false;
        }
        testing = false;
        boolean rose = rose();
        LOG.debug("at a pause of {} us {} of {} probes answered, before {} of {}: {}", delayNanos / 1000,
                testAnswered, testAnswered + testLost, beforeAnswered, beforeResolved,
                rose ? "keeping it" : "back to " + delayBefore / 1000 + " us");
        boolean newlyIndependent = false;
        if (rose) {
            dropsNeeded = FIRST_EVIDENCE;
            lossIndependentOfRate = false;
        } else {
            delayNanos = delayBefore;
            dropsNeeded = Math.min(1 << 20, dropsNeeded * 2);
            if (testAnswered + testLost >= MIN_RESOLVED) {
                newlyIndependent = !lossIndependentOfRate;
                lossIndependentOfRate = true;
            }
        }
        resetEvidence(nowNanos);
        return newlyIndependent;
    }

    /** Whether the share of answers at the slower pace is clearly above the share before. */
    private boolean rose() {
        int resolved = testAnswered + testLost;
        if (resolved < MIN_RESOLVED) {
            return false;
        }
        double after = (double) testAnswered / resolved;
        double before = (double) beforeAnswered / beforeResolved;
        double pooled = (double) (testAnswered + beforeAnswered) / (resolved + beforeResolved);
        double variance = pooled * (1 - pooled) * (1.0 / resolved + 1.0 / beforeResolved);
        return variance > 0 && (after - before) / Math.sqrt(variance) >= Z_RISE;
    }

    private void resetEvidence(long nowNanos) {
        drops = 0;
        goods = 0;
        decidedNanos = nowNanos;
    }
}
