package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.spec.Timing;

/**
 * nmap's retransmission timeout estimate (timing.cc, adjust_timeouts2): smoothed RTT and its
 * variance as in TCP, timeout = srtt + 4 * rttvar, clamped to the template's min/max RTT timeout and
 * never below the scan delay. Not thread-safe: owned by one scan loop.
 */
final class RttEstimator {
    private static final long MAX_SANE_RTT_MICROS = 8_000_000;
    private static final long MAX_RTTVAR_MICROS = 2_300_000;

    private final long minTimeoutMicros;
    private final long maxTimeoutMicros;
    private final long scanDelayMicros;
    private long srtt = -1;
    private long rttvar = -1;
    private long timeout;

    RttEstimator(Timing timing) {
        this.minTimeoutMicros = timing.minRtt().toNanos() / 1000;
        this.maxTimeoutMicros = timing.maxRtt().toNanos() / 1000;
        this.scanDelayMicros = timing.scanDelay().toNanos() / 1000;
        this.timeout = timing.initialRtt().toNanos() / 1000;
    }

    /** Feeds one measured round trip. */
    void sample(long rttMicros) {
        long delta = rttMicros;
        if (delta < 0 && delta > -50_000) {
            delta = 10_000; // clock skew between capture and sender: nmap's allowance
        }
        if (srtt < 0) {
            srtt = delta;
            rttvar = Math.max(5_000, Math.min(2_000_000, srtt));
        } else {
            if (delta >= MAX_SANE_RTT_MICROS || delta < 0) {
                return;
            }
            long rttDelta = delta - srtt;
            if (rttDelta > 1_500_000 && rttDelta > 3 * srtt + 2 * rttvar) {
                return;
            }
            srtt += rttDelta >> 3;
            rttvar += (Math.abs(rttDelta) - rttvar) >> 2;
        }
        if (rttvar > MAX_RTTVAR_MICROS) {
            rttvar = 2_000_000;
        }
        timeout = Math.max(minTimeoutMicros, Math.min(maxTimeoutMicros, srtt + (rttvar << 2)));
        timeout = Math.max(timeout, scanDelayMicros);
    }

    long timeoutNanos() {
        return timeout * 1000;
    }

    HostTimes times() {
        return srtt < 0 ? new HostTimes(-1, -1, timeout) : new HostTimes(srtt, rttvar, timeout);
    }
}
