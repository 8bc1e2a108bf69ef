package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.Timing;

/**
 * --max-rate and --min-rate, in probes per second over the whole scan (retransmissions count, as
 * nmap's GroupScanStats::probeSent counts them). --max-rate keeps consecutive sends at least one
 * interval apart: a probe that left late pushes the next slot out, so no pause (a descheduled
 * thread, a full window) is ever made up for with a burst, and no second on the wire holds more
 * than the rate allows plus the one probe its edge may cut. --min-rate keeps a
 * schedule of latest send times: when it is in the future it is pulled back to now before the next
 * interval is added (as in nmap), so being ahead banks no credit, and when it has passed the scan
 * must send even with its window full. Owned by the thread that sends.
 */
public final class RateSchedule {
    private final long maxRateIntervalNanos;
    private final long minRateIntervalNanos;
    private long sendNoEarlierThan;
    private long sendNoLaterThan;

    public RateSchedule(Timing timing, long startNanos) {
        this.maxRateIntervalNanos = timing.maxRate() > 0 ? (long) (1e9 / timing.maxRate()) : 0;
        this.minRateIntervalNanos = timing.minRate() > 0 ? (long) (1e9 / timing.minRate()) : 0;
        this.sendNoEarlierThan = startNanos;
        this.sendNoLaterThan = startNanos;
    }

    /** Whether --max-rate lets a probe go at {@code now}. */
    public boolean maxRateAllows(long now) {
        return maxRateIntervalNanos == 0 || sendNoEarlierThan - now <= 0;
    }

    /** Whether --min-rate needs a probe now, window or not. */
    public boolean behindMinRate(long now) {
        return minRateIntervalNanos > 0 && now - sendNoLaterThan >= 0;
    }

    /**
     * When the rates next change what a sender may do, for one that has a probe ready: the next
     * --max-rate slot while it is ahead, else the --min-rate deadline; MAX_VALUE if neither.
     */
    public long wakeNanos(long now) {
        if (!maxRateAllows(now)) {
            return sendNoEarlierThan;
        }
        return minRateIntervalNanos > 0 ? sendNoLaterThan : Long.MAX_VALUE;
    }

    /** A probe left at {@code now}. */
    public void sent(long now) {
        if (maxRateIntervalNanos > 0) {
            sendNoEarlierThan = Math.max(sendNoEarlierThan, now) + maxRateIntervalNanos;
        }
        if (minRateIntervalNanos > 0) {
            if (sendNoLaterThan - now > 0) {
                sendNoLaterThan = now;
            }
            sendNoLaterThan += minRateIntervalNanos;
        }
    }
}
