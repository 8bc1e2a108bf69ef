package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.spec.Timing;

/**
 * Smoothed round-trip time and probe timeout, updated like nmap's adjust_timeouts2 (timing.cc):
 * the first sample sets srtt and rttvar, later ones move srtt by 1/8 and rttvar by 1/4 of the
 * error; the timeout is srtt + 4 * rttvar clamped to the timing's min/max RTT timeout (and never
 * below --scan-delay). All values are microseconds. Not thread-safe: owned by the scan loop.
 */
public final class RttEstimator {
    private static final long MAX_PLAUSIBLE_RTT = 8_000_000;
    private static final long MAX_RTTVAR = 2_300_000;

    private final long minTimeout;
    private final long maxTimeout;
    private final long scanDelay;
    private long srtt = -1;
    private long rttvar = -1;
    private long timeout;

    public RttEstimator(Timing timing) {
        this.minTimeout = timing.minRtt().toNanos() / 1000;
        this.maxTimeout = timing.maxRtt().toNanos() / 1000;
        this.scanDelay = timing.scanDelay().toNanos() / 1000;
        this.timeout = timing.initialRtt().toNanos() / 1000;
    }

    /** Feeds one measured round trip (probe sent to answer seen). */
    public void sample(long rttMicros) {
        long delta = rttMicros;
        if (delta < 0) {
            // Clock steps; nmap also tolerates small negative deltas this way.
            delta = 10_000;
        }
        if (srtt == -1 && rttvar == -1) {
            srtt = delta;
            rttvar = Math.max(5_000, Math.min(2_000_000, srtt));
        } else {
            if (delta >= MAX_PLAUSIBLE_RTT) {
                return;
            }
            long rttdelta = delta - srtt;
            // An outlier far beyond what we have seen is more likely a stale answer than an RTT.
            if (rttdelta > 1_500_000 && rttdelta > 3 * srtt + 2 * rttvar) {
                return;
            }
            srtt += rttdelta >> 3;
            rttvar += (Math.abs(rttdelta) - rttvar) >> 2;
        }
        if (rttvar > MAX_RTTVAR) {
            rttvar = 2_000_000;
        }
        timeout = srtt + (rttvar << 2);
        timeout = Math.max(minTimeout, Math.min(maxTimeout, timeout));
        timeout = Math.max(timeout, scanDelay);
    }

    public boolean hasSamples() {
        return srtt > 0;
    }

    public long timeoutMicros() {
        return timeout;
    }

    public long srttMicros() {
        return srtt;
    }

    public long rttvarMicros() {
        return rttvar;
    }

    /** The figures nmap writes in {@code <times>}; unknown when nothing was ever timed. */
    public HostTimes times() {
        if (srtt == -1 && rttvar == -1) {
            return HostTimes.UNKNOWN;
        }
        return new HostTimes(srtt, rttvar, timeout);
    }
}
