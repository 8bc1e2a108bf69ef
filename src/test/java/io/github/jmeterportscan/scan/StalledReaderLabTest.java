package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Outcome;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent scans share one capture, and whichever thread reads it hands every scan its replies.
 * When that reader stalls (descheduled on a busy machine, paused by the garbage collector, or,
 * here, a capture subscriber that sleeps inside its handler), the replies wait in the kernel's
 * ring: a scan must wait for them before it calls a probe unanswered, never time out on the
 * clock and report an answering port as filtered.
 */
class StalledReaderLabTest {
    private static final Duration STALL = Duration.ofMillis(1500);
    /** Two tries of 100 ms each: far shorter than the stall, so waiting on the clock would fail. */
    private static final Duration RTT_TIMEOUT = Duration.ofMillis(100);
    private static final int THREADS = 12;
    private static final int SCANS_PER_THREAD = 3;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-stall-", () -> NetnsLab.builder()
            .subnets("198.18.60.0/24", "2001:db8:60::/64").plan(LabLayouts.standard()));

    @Test
    void everyAnsweringPortKeepsItsStateWhileTheCaptureReaderStalls() throws Exception {
        Map<Integer, Expectation> v4 = answering(IpFamily.V4);
        Map<Integer, Expectation> v6 = answering(IpFamily.V6);
        AtomicInteger stalls = new AtomicInteger();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (PacketLink v4Link = Links.open(LAB.lab().target(IpFamily.V4), Optional.empty());
                PacketLink v6Link = Links.open(LAB.lab().target(IpFamily.V6), Optional.empty());
                PacketLink.Subscription stallV4 = v4Link.subscribe(stallingHandler(stalls));
                PacketLink.Subscription stallV6 = v6Link.subscribe(stallingHandler(stalls))) {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                IpFamily family = t % 2 == 0 ? IpFamily.V4 : IpFamily.V6;
                Map<Integer, Expectation> expected = family == IpFamily.V4 ? v4 : v6;
                runs.add(pool.submit(() -> scanRepeatedly(LAB.lab().target(family), expected)));
            }
            for (Future<List<String>> run : runs) {
                wrong.addAll(run.get(120, TimeUnit.SECONDS));
            }
            checked = THREADS * SCANS_PER_THREAD;
        } finally {
            pool.shutdownNow();
        }
        assertTrue(stalls.get() >= 2, "the reader stalled " + stalls.get() + " times; the test needs at least 2");
        assertEquals(List.of(), wrong, "wrong ports in " + checked + " scans with " + stalls.get() + " reader stalls");
    }

    /**
     * Sleeps {@link #STALL} inside the capture read on every packet that comes more than a stall
     * after the previous one ended, so every scan of the test overlaps a stall.
     */
    private static io.github.jmeterportscan.link.PacketHandler stallingHandler(AtomicInteger stalls) {
        long[] nextStall = {0};
        return (frame, offset, length, nanos) -> {
            long now = System.nanoTime();
            if (now < nextStall[0]) {
                return;
            }
            stalls.incrementAndGet();
            try {
                Thread.sleep(STALL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            nextStall[0] = System.nanoTime() + STALL.toNanos() / 3;
        };
    }

    private static List<String> scanRepeatedly(InetAddress target, Map<Integer, Expectation> expected)
            throws Exception {
        PortSet ports = PortSet.of(expected.keySet().stream().mapToInt(Integer::intValue).toArray());
        ScanJob job = new ScanJob(List.of(Target.of(target)), ports, ScanType.SYN,
                ScanJobs.fixedTimeout(RTT_TIMEOUT, 1), true, OptionalInt.empty(), Optional.empty(), false);
        return LabScans.wrongPorts(job, expected, SCANS_PER_THREAD);
    }

    /** The plan's ports that answer a SYN (open, closed, ICMP-rejected): none may become no-response. */
    private static Map<Integer, Expectation> answering(IpFamily family) {
        Map<Integer, Expectation> answering = new java.util.TreeMap<>();
        for (Map.Entry<Integer, Expectation> entry : LAB.lab().plan().expected(ScanType.SYN, family).entrySet()) {
            if (entry.getValue().accepts(Outcome.of(io.github.jmeterportscan.result.PortState.FILTERED,
                    io.github.jmeterportscan.result.Reason.NO_RESPONSE))) {
                continue;
            }
            answering.put(entry.getKey(), entry.getValue());
        }
        return answering;
    }
}
