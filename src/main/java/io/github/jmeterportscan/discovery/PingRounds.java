package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.scan.RateSchedule;
import io.github.jmeterportscan.scan.RttEstimator;
import io.github.jmeterportscan.spec.Timing;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The timing and retry rules of host discovery, nmap's for ping scans: every probe of a host is
 * sent at most twice (a ping scan's try cap is one more than the last try that got an answer,
 * which is none); a try waits the group's RTT timeout, which starts at the initial RTT timeout
 * (200 ms for ARP/ND, boxed by the min and initial RTT timeouts) and follows the answers' round
 * trips; a host is decided by its first answer. Sends respect --min-rate/--max-rate. Kept apart
 * from the transports so that it can move onto the shared scheduler.
 */
public final class PingRounds {
    /** A try and one retransmission per probe, as nmap's ping scans without any answer to learn from. */
    static final int TRIES = 2;
    static final Duration NEIGHBOUR_INITIAL_TIMEOUT = Duration.ofMillis(200);

    private final Timing timing;

    public PingRounds(Timing timing) {
        this.timing = timing;
    }

    /** What discovery found of one host. */
    public record Found(HostStatus status, HostTimes times, Optional<String> mac) {
        static final Found NOTHING = new Found(HostStatus.NO_RESPONSE, HostTimes.UNKNOWN, Optional.empty());
    }

    /**
     * Asks every host whose {@code decided} entry is null, and fills those entries in.
     *
     * @throws InterruptedException when the calling thread is interrupted
     */
    public void run(Pinger pinger, Found[] decided) throws InterruptedException {
        int hosts = pinger.hosts();
        long[] sentNanos = new long[hosts];
        Arrays.fill(sentNanos, -1);
        RttEstimator group = new RttEstimator(timing);
        boolean neighbours = hosts > 0 && pinger.asksNeighbours(0);
        long initialTimeoutNanos = neighbours ? neighbourTimeout() : timing.initialRtt().toNanos();
        RateSchedule rates = new RateSchedule(timing, System.nanoTime());
        for (int tryNo = 0; tryNo < TRIES && undecided(decided) > 0; tryNo++) {
            for (int h = 0; h < hosts; h++) {
                if (decided[h] != null) {
                    continue;
                }
                long now = System.nanoTime();
                while (!rates.maxRateAllows(now)) {
                    collect(pinger, Math.max(0, rates.wakeNanos(now) - now), sentNanos, decided, group);
                    now = System.nanoTime();
                }
                pinger.prepare(h);
                pinger.send(h, tryNo);
                sentNanos[h] = System.nanoTime();
                rates.sent(sentNanos[h]);
                collect(pinger, 0, sentNanos, decided, group);
            }
            long roundSent = System.nanoTime();
            while (undecided(decided) > 0) {
                long timeout = group.hasSamples() ? TimeUnit.MICROSECONDS.toNanos(group.timeoutMicros())
                        : initialTimeoutNanos;
                long left = roundSent + timeout - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                collect(pinger, left, sentNanos, decided, group);
            }
        }
    }

    private long neighbourTimeout() {
        long min = timing.minRtt().toNanos();
        long max = timing.initialRtt().toNanos();
        return Math.max(min, Math.min(max, NEIGHBOUR_INITIAL_TIMEOUT.toNanos()));
    }

    private void collect(Pinger pinger, long maxNanos, long[] sentNanos, Found[] decided, RttEstimator group)
            throws InterruptedException {
        pinger.awaitAnswers(maxNanos, answer -> {
            int h = answer.host();
            if (decided[h] != null || sentNanos[h] < 0) {
                return;
            }
            long probeSent = pinger.sentNanos(h, answer.probe(), answer.wireNanos());
            // A round trip shorter than the clocks can tell still counts as one (a zero would read as "no sample").
            long rttMicros = Math.max(1, (answer.wireNanos() - (probeSent < 0 ? sentNanos[h] : probeSent)) / 1000);
            group.sample(rttMicros);
            RttEstimator own = new RttEstimator(timing);
            own.sample(rttMicros);
            decided[h] = new Found(answer.status(), own.times(), answer.mac());
        });
    }

    private static int undecided(Found[] decided) {
        int n = 0;
        for (Found f : decided) {
            if (f == null) {
                n++;
            }
        }
        return n;
    }
}
