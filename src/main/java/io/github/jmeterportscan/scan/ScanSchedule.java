package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.Timing;

/**
 * The scan-wide half of nmap's scheduling (GroupScanStats), shared by every transport: the
 * congestion window, the group's round-trip estimate, --min-rate and --max-rate, and the count
 * of probes in flight. {@link HostSchedule} holds the per-host half and reports here. Owned by the
 * thread that runs the scan. The rates are {@link RateSchedule}'s.
 */
final class ScanSchedule {
    final CongestionWindow window;
    /** nmap's group timeout: the probe timeout of hosts that have no round trip of their own yet. */
    final RttEstimator groupRtt;
    /** The loss evidence of every host, pooled (see {@link ScanLoss}). */
    final ScanLoss loss;
    private final RateSchedule rates;
    private int active;
    private boolean anyAnswer;
    private boolean anyTimedOut;
    /** A probe timed out before any answer arrived: see {@link #windowSize()}. */
    private boolean silent;

    /** @param ports the ports of every host of the scan together */
    ScanSchedule(Timing timing, CongestionWindow window, long startNanos, int ports) {
        this.loss = new ScanLoss(ports);
        this.window = window;
        this.groupRtt = new RttEstimator(timing);
        this.rates = new RateSchedule(timing, startNanos);
    }

    /** Probes on the wire and not yet answered or timed out, over every host. */
    int active() {
        return active;
    }

    /** Whether some probe went unanswered within its timeout: only then can lost replies matter. */
    boolean anyProbeTimedOut() {
        return anyTimedOut;
    }

    /** Whether the rates and the window let one more probe go at {@code now}. */
    boolean maySend(long now) {
        if (!rates.maxRateAllows(now)) {
            return false;
        }
        return active < windowSize() || rates.behindMinRate(now);
    }

    /** Whether --min-rate needs a probe now, window or not. */
    boolean behindMinRate(long now) {
        return rates.behindMinRate(now);
    }

    /**
     * When the rates next change what {@link #maySend} says, for a scan that has a probe ready:
     * the next --max-rate slot while it is ahead, else the --min-rate deadline; MAX_VALUE if neither.
     */
    long rateWakeNanos(long now) {
        return rates.wakeNanos(now);
    }

    void sent(long now) {
        active++;
        rates.sent(now);
    }

    /** A probe left the flight: answered, timed out or abandoned. */
    void landed() {
        active--;
    }

    void timedOut() {
        anyTimedOut = true;
        silent |= !anyAnswer;
    }

    /**
     * An answer that counts for timing (nmap's ultrascan_adjust_timing): every one grows the
     * window, and one to a retransmission ({@code drop}) also shrinks it, once per burst.
     * {@code neutral}: an ICMP error to a retransmission, which adjusts nothing but says the
     * scan is not silent.
     */
    void answered(boolean drop, boolean neutral, long probeSentNanos, long now) {
        anyAnswer = true;
        if (neutral) {
            return;
        }
        window.answered();
        if (drop) {
            window.dropped(probeSentNanos, active, now);
        }
    }

    /** A host's losses proved independent of the send rate: they were no congestion. */
    void lossIsRandom() {
        window.restore();
    }

    /**
     * Probes allowed in flight. The window grows with answers, so on targets that answer nothing
     * it would stay at its initial size and every port would wait a whole timeout per window. A
     * timeout is no sign of congestion (see {@link CongestionWindow}), and until something answers
     * there is no other sign to go by: once the first probe of a silent scan has timed out, the
     * window opens to its ceiling. The first answer ends this for good; retries still follow the
     * per-host rules.
     */
    int windowSize() {
        return silent && !anyAnswer ? window.high() : window.size();
    }
}
