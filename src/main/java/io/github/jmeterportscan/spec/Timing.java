package io.github.jmeterportscan.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing controls of a scan, with nmap's meaning. Built from a {@code -T} template and then
 * overridden by the individual options ({@code --max-retries}, {@code --min-rtt-timeout}, ...).
 *
 * @param level          the template number 0..5 (3 = normal)
 * @param initialRtt     RTT timeout used before any reply has been timed
 * @param minRtt         lower clamp of the adaptive RTT timeout
 * @param maxRtt         upper clamp of the adaptive RTT timeout
 * @param maxRetries     retransmissions allowed per port (nmap caps, it does not always use them all)
 * @param scanDelay      minimum wait between probes to one host ({@link Duration#ZERO} = none)
 * @param maxScanDelay   ceiling for the delay nmap adds when it sees drops
 * @param hostTimeout    give up on a host after this long ({@link Duration#ZERO} = never)
 * @param minRate        packets per second to send at least (0 = no floor)
 * @param maxRate        packets per second to send at most (0 = no ceiling)
 * @param retriesFollowLoss whether retries may go past {@code maxRetries} when the answers show
 *                       that the path loses so many probes that {@code maxRetries} would leave
 *                       ports wrongly filtered: true when neither --max-retries nor a template
 *                       that sets it (-T4, -T5) was given, so that {@code maxRetries} is only
 *                       nmap's default and not the user's choice
 */
public record Timing(
        int level,
        Duration initialRtt,
        Duration minRtt,
        Duration maxRtt,
        int maxRetries,
        Duration scanDelay,
        Duration maxScanDelay,
        Duration hostTimeout,
        double minRate,
        double maxRate,
        boolean retriesFollowLoss) {

    public Timing {
        if (level < 0 || level > 5) {
            throw new IllegalArgumentException("timing level must be 0..5: " + level);
        }
        Objects.requireNonNull(initialRtt, "initialRtt");
        Objects.requireNonNull(minRtt, "minRtt");
        Objects.requireNonNull(maxRtt, "maxRtt");
        Objects.requireNonNull(scanDelay, "scanDelay");
        Objects.requireNonNull(maxScanDelay, "maxScanDelay");
        Objects.requireNonNull(hostTimeout, "hostTimeout");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
        }
    }

    /** A timing whose {@code maxRetries} is a hard cap, as every explicit setting is. */
    public Timing(int level, Duration initialRtt, Duration minRtt, Duration maxRtt, int maxRetries,
            Duration scanDelay, Duration maxScanDelay, Duration hostTimeout, double minRate, double maxRate) {
        this(level, initialRtt, minRtt, maxRtt, maxRetries, scanDelay, maxScanDelay, hostTimeout, minRate, maxRate,
                false);
    }

    public boolean hasHostTimeout() {
        return !hostTimeout.isZero();
    }
}
