package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.HostTimes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** nmap's adjust_timeouts2 arithmetic (timing.cc), sample by sample. */
class RttEstimatorTest {
    @Test
    void startsAtTheInitialTimeoutWithUnknownTimes() {
        RttEstimator rtt = new RttEstimator(ScanJobs.t4());
        assertFalse(rtt.hasSamples());
        assertEquals(500_000, rtt.timeoutMicros());
        assertEquals(HostTimes.UNKNOWN, rtt.times());
    }

    @Test
    void firstSampleSetsSrttAndAFlooredRttvarThenSmoothes() {
        RttEstimator rtt = new RttEstimator(ScanJobs.t4());
        rtt.sample(2_000);
        // rttvar starts at srtt boxed into 5 ms .. 2 s; timeout 2 + 4*5 ms, raised to the 100 ms floor.
        assertEquals(new HostTimes(2_000, 5_000, 100_000), rtt.times());
        rtt.sample(10_000);
        // srtt += (10000-2000)/8; rttvar += (|8000| - 5000)/4.
        assertEquals(3_000, rtt.srttMicros());
        assertEquals(5_750, rtt.rttvarMicros());
        for (int i = 0; i < 50; i++) {
            rtt.sample(400_000);
        }
        // Converged near 400 ms: srtt + 4*rttvar, capped at T4's 1250 ms.
        assertTrue(rtt.srttMicros() > 390_000 && rtt.srttMicros() <= 400_000, rtt.times().toString());
        assertEquals(Math.min(1_250_000, rtt.srttMicros() + 4 * rtt.rttvarMicros()), rtt.timeoutMicros());
    }

    @Test
    void implausibleSamplesAreIgnoredAndScanDelayIsAFloor() {
        RttEstimator rtt = new RttEstimator(ScanJobs.withRates(ScanJobs.t4(), Duration.ofMillis(300), 0, 0));
        rtt.sample(1_000);
        HostTimes before = rtt.times();
        rtt.sample(9_000_000);
        rtt.sample(3_000_000);
        assertEquals(before, rtt.times());
        assertEquals(300_000, rtt.timeoutMicros());
    }
}
