package io.github.jmeterportscan.scan;

/**
 * How many probes of a scan may be in flight at once (one window per scan, held by
 * {@link ScanSchedule}). A simplified form of nmap's congestion control
 * (timing.cc, ultra_timing_vals): slow start (+1 per answer, so the window doubles every round trip)
 * up to a threshold, then +{@code caIncrement}/window per answer. A drop halves the window and sets
 * the threshold to the flight size divided by nmap's per-level divisor; several drops from the same
 * burst count once (only probes sent after the last drop can trigger another).
 *
 * <p>Like nmap, a probe that simply times out is not a drop: firewalls that silently discard most
 * ports would otherwise throttle the scan to a crawl. A drop is an answer to a retransmission (the
 * first try was lost; it also counts as an answer, as in nmap), or our own resource running out
 * (too many open files, no ephemeral port).
 */
public final class CongestionWindow {
    private final int low;
    private final int high;
    private final int initial;
    private final double caIncrement;
    private final double ssthreshDivisor;
    private double cwnd;
    private double ssthresh;
    private long lastDropNanos = Long.MIN_VALUE;

    /**
     * @param initial     starting window
     * @param low         never below this
     * @param high        never above this (the file-descriptor budget)
     * @param timingLevel -T level, which makes growth and recovery more aggressive at 4 and 5
     */
    public CongestionWindow(int initial, int low, int high, int timingLevel) {
        if (low < 1 || high < low) {
            throw new IllegalArgumentException("window bounds " + low + ".." + high);
        }
        this.low = low;
        this.high = high;
        this.cwnd = Math.max(low, Math.min(high, initial));
        this.initial = (int) cwnd;
        this.ssthresh = high;
        this.caIncrement = timingLevel >= 4 ? 2 : 1;
        this.ssthreshDivisor = timingLevel <= 3 ? 1.5 : timingLevel == 4 ? 4.0 / 3.0 : 5.0 / 4.0;
    }

    /** Whole probes allowed in flight now. */
    public int size() {
        return (int) cwnd;
    }

    public int high() {
        return high;
    }

    /** An answer arrived (any verdict). */
    public void answered() {
        if (cwnd < ssthresh) {
            cwnd = Math.min(ssthresh, cwnd + 1);
        } else {
            cwnd += caIncrement / cwnd;
        }
        cwnd = Math.min(high, cwnd);
    }

    /**
     * Evidence of loss for a probe sent at {@code probeSentNanos} while {@code inFlight} probes
     * were out. Ignored when an earlier drop already reacted to the same burst.
     */
    public void dropped(long probeSentNanos, int inFlight, long nowNanos) {
        if (probeSentNanos - lastDropNanos <= 0 && lastDropNanos != Long.MIN_VALUE) {
            return;
        }
        cwnd = Math.max(low, cwnd / 2);
        ssthresh = Math.max(2, inFlight / ssthreshDivisor);
        lastDropNanos = nowNanos;
    }

    /**
     * The drops seen so far proved to be no congestion (sending slower did not make them rarer):
     * the window returns to at least its initial size, and slow start may grow it again.
     */
    public void restore() {
        cwnd = Math.max(cwnd, initial);
        ssthresh = high;
    }

    /** Our own resources ran out with {@code inFlight} probes out: stay below that. */
    public void exhausted(int inFlight, long nowNanos) {
        cwnd = Math.max(low, Math.min(cwnd, inFlight) * 3 / 4);
        ssthresh = Math.max(low, cwnd);
        lastDropNanos = nowNanos;
    }
}
