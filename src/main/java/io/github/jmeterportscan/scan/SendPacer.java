package io.github.jmeterportscan.scan;

/**
 * --max-rate and --min-rate for the whole scan, in probes per second (retransmissions count, as
 * in nmap). The ceiling spaces sends by at least 1/maxRate; the floor tells the engine it is
 * behind schedule and must send even when the congestion window is full.
 */
public final class SendPacer {
    private final long intervalNanos;
    private final double minRate;
    private final long startNanos;
    private long nextAllowedNanos;
    private long sent;

    public SendPacer(double minRate, double maxRate, long startNanos) {
        this.intervalNanos = maxRate > 0 ? (long) (1e9 / maxRate) : 0;
        this.minRate = minRate;
        this.startNanos = startNanos;
        this.nextAllowedNanos = startNanos;
    }

    /** Whether --max-rate lets a probe go now. */
    public boolean maySend(long nowNanos) {
        return intervalNanos == 0 || nowNanos - nextAllowedNanos >= 0;
    }

    /** When the next probe may go (only meaningful while {@link #maySend} is false). */
    public long nextAllowedNanos() {
        return nextAllowedNanos;
    }

    public void sent(long nowNanos) {
        sent++;
        if (intervalNanos > 0) {
            nextAllowedNanos = Math.max(nextAllowedNanos, nowNanos) + intervalNanos;
        }
    }

    /** Whether --min-rate wants more probes than were sent so far. */
    public boolean behindMinRate(long nowNanos) {
        return minRate > 0 && sent < minRate * ((nowNanos - startNanos) / 1e9);
    }

    /** When the --min-rate schedule next expects a probe, for sleeping no longer than that. */
    public long minRateDueNanos() {
        if (minRate <= 0) {
            return Long.MAX_VALUE;
        }
        return startNanos + (long) ((sent + 1) / minRate * 1e9);
    }

    public long sentCount() {
        return sent;
    }
}
