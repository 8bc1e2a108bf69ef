package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Connect-scan jobs and nmap's timing templates for tests. */
final class ScanJobs {
    private ScanJobs() {
    }

    /** nmap -T4 (timing.cc / nmap.cc): initial 500 ms, min 100 ms, max 1250 ms, 6 retries. */
    static Timing t4() {
        return new Timing(4, Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(1250), 6,
                Duration.ZERO, Duration.ofMillis(10), Duration.ZERO, 0, 0);
    }

    /** T4 with fixed RTT timeouts and retries, for labs with dropped ports. */
    static Timing fixedTimeout(Duration rttTimeout, int maxRetries) {
        return new Timing(4, rttTimeout, rttTimeout, rttTimeout, maxRetries,
                Duration.ZERO, Duration.ofMillis(10), Duration.ZERO, 0, 0);
    }

    static Timing withHostTimeout(Timing t, Duration hostTimeout) {
        return new Timing(t.level(), t.initialRtt(), t.minRtt(), t.maxRtt(), t.maxRetries(), t.scanDelay(),
                t.maxScanDelay(), hostTimeout, t.minRate(), t.maxRate());
    }

    static Timing withRates(Timing t, Duration scanDelay, double minRate, double maxRate) {
        return new Timing(t.level(), t.initialRtt(), t.minRtt(), t.maxRtt(), t.maxRetries(), scanDelay,
                t.maxScanDelay().compareTo(scanDelay) < 0 ? scanDelay : t.maxScanDelay(), t.hostTimeout(),
                minRate, maxRate);
    }

    static ScanJob connect(List<Target> targets, PortSet ports, Timing timing) {
        return new ScanJob(targets, ports, ScanType.CONNECT, timing, true, OptionalInt.empty(),
                Optional.empty(), false);
    }
}
