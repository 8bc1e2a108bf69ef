package io.github.jmeterportscan.link;

import java.time.Instant;

/**
 * One clock for every time a scan measures: {@link System#nanoTime()} (CLOCK_MONOTONIC). The
 * kernel stamps captured packets with CLOCK_REALTIME; each stamp is converted here, once, so a
 * reply's wire time and a probe's send time can be subtracted. The offset between the two clocks
 * changes only when the wall clock is stepped (the time daemon slews both alike), so it is
 * re-measured as the captures run ({@link #remeasure()}), never per packet.
 */
public final class WireClock {
    private static final int TRIES = 5;
    /** CLOCK_REALTIME minus CLOCK_MONOTONIC, in nanoseconds. */
    private static volatile long offsetNanos = measure();

    private WireClock() {
    }

    /** The monotonic time of a wall-clock instant given in nanoseconds since the epoch. */
    public static long monotonicOf(long epochNanos) {
        return epochNanos - offsetNanos;
    }

    /** Nanoseconds since the epoch of a {@link System#nanoTime()} reading. */
    public static long epochOf(long monotonicNanos) {
        return monotonicNanos + offsetNanos;
    }

    /** Measures the offset again, so that a stepped wall clock costs at most one interval. */
    static void remeasure() {
        offsetNanos = measure();
    }

    /**
     * Reads the wall clock between two monotonic readings, a few times, and keeps the reading
     * with the narrowest bracket: the offset is then known to within half of it (well under a
     * microsecond unless the thread was preempted in every try).
     */
    private static long measure() {
        long best = 0;
        long narrowest = Long.MAX_VALUE;
        for (int i = 0; i < TRIES; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            if (after - before < narrowest) {
                narrowest = after - before;
                long epochNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
                best = epochNanos - (before + (after - before) / 2);
            }
        }
        return best;
    }
}
