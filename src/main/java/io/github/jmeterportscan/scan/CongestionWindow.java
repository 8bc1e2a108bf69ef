package io.github.jmeterportscan.scan;

/**
 * How many probes may be on the wire at once, grown by replies and halved on loss, in the manner of
 * TCP (and of nmap's ultra_scan). Loss is inferred only from a reply to a retransmission — proof
 * that an earlier probe or its answer was dropped — never from silence: a host that drops
 * everything is not congested, and slowing down for it is what makes nmap slow on filtered hosts.
 */
final class CongestionWindow {
    private final double minimum;
    private final double maximum;
    private double window;
    private double threshold;
    private long lastCutNanos = Long.MIN_VALUE / 2;

    CongestionWindow(double initial, double minimum, double maximum) {
        this.window = initial;
        this.minimum = minimum;
        this.maximum = maximum;
        this.threshold = maximum;
    }

    void onReply() {
        window += window < threshold ? 1 : 1 / window;
        if (window > maximum) {
            window = maximum;
        }
    }

    /** At most one cut per round trip, so a burst of losses from one event counts once. */
    void onLoss(long nowNanos, long roundTripNanos) {
        if (nowNanos - lastCutNanos < roundTripNanos) {
            return;
        }
        lastCutNanos = nowNanos;
        threshold = Math.max(minimum, window / 2);
        window = threshold;
    }

    int limit() {
        return (int) window;
    }
}
