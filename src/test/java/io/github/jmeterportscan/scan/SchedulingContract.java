package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import io.github.jmeterportscan.spec.TimingOptions;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.LinkCapture;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Outcome;
import io.github.jmeterportscan.testsupport.PortBehavior;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The scheduling rules every engine shares ({@link ScanSchedule}, {@link HostSchedule}), run on a
 * real lab for each engine by a subclass: --max-rate and --min-rate as seen on the wire, --max-retries
 * counted on the wire, --host-timeout, interruption, and exact results behind random loss.
 */
abstract class SchedulingContract {
    static final int[] OPEN = {8080, 8081};
    static final int CLOSED_FIRST = 20000;
    static final int CLOSED_LAST = 20299;
    static final int DROPPED_FIRST = 10000;
    static final int DROPPED_LAST = 10999;

    /** The engine under test. */
    abstract PortScanner scanner();

    abstract ScanType scanType();

    /** The lab of the subclass, with {@link #plan()}. */
    abstract NetnsLab lab();

    /** The lossy lab the subclass alone uses: IPv4 block, IPv6 block, namespace prefix. */
    abstract String[] lossSubnets();

    static LabPortPlan plan() {
        return LabPortPlan.builder()
                .open(OPEN)
                .range(CLOSED_FIRST, CLOSED_LAST, PortBehavior.CLOSED)
                .range(DROPPED_FIRST, DROPPED_LAST, PortBehavior.DROP)
                .build();
    }

    ScanJob job(InetAddress target, PortSet ports, Timing timing) {
        return job(target, ports, timing, true);
    }

    ScanJob job(InetAddress target, PortSet ports, Timing timing, boolean randomize) {
        return new ScanJob(List.of(Target.of(target)), ports, scanType(), timing, randomize, OptionalInt.empty(),
                Optional.empty(), false);
    }

    private InetAddress target() {
        return lab().target(IpFamily.V4);
    }

    /** Send times in seconds of the SYNs that crossed the lab's link to the target during {@code scan}. */
    private List<Double> synTimes(String portFilter, ScanRun scan) throws Exception {
        Path file = Files.createTempFile("sched-", ".pcap");
        try (LinkCapture capture = LinkCapture.start(lab().hostInterface(),
                "tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0 and dst host "
                        + target().getHostAddress() + " and " + portFilter, file)) {
            scan.run();
            List<Double> times = new ArrayList<>();
            for (String line : capture.packets("", "frame.time_epoch")) {
                times.add(Double.parseDouble(line.trim()));
            }
            return times;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    interface ScanRun {
        void run() throws Exception;
    }

    private HostResult scan(PortSet ports, Timing timing) throws Exception {
        return scanner().scan(job(target(), ports, timing), ScanObserver.NONE).get(0);
    }

    /**
     * --max-rate 200 on the wire: consecutive sends are at least 1/200 s apart, so no second of
     * send calls holds more than 201 probes; the capture's stamps trail the send calls by a varying
     * few microseconds to milliseconds, which lets one more into a second on the wire. The whole
     * scan takes at least its probes' share of seconds.
     */
    @Test
    void maxRateHoldsOnTheWire() throws Exception {
        PortSet ports = PortSet.range(CLOSED_FIRST, CLOSED_LAST);
        Timing timing = ScanJobs.withRates(ScanJobs.t4(), Duration.ZERO, 0, 200);
        AtomicReference<HostResult> result = new AtomicReference<>();
        List<Double> times = synTimes("dst portrange " + CLOSED_FIRST + "-" + CLOSED_LAST,
                () -> result.set(scan(ports, timing)));
        assertEquals(ports.size(), result.get().ports().size());
        assertTrue(times.size() >= ports.size(), "SYNs on the wire: " + times.size());
        int most = 0;
        for (int first = 0, last = 0; first < times.size(); first++) {
            while (last < times.size() && times.get(last) - times.get(first) < 1.0) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        assertTrue(most <= 202, "most SYNs in one second: " + most);
        double span = times.get(times.size() - 1) - times.get(0);
        assertTrue(span >= (times.size() - 1) / 200.0 * 0.95, times.size() + " SYNs in " + span + " s");
    }

    /**
     * --min-rate 4000 beats the window: 1000 silent ports with 1 s timeouts and no retries all
     * leave within half a second, where the window alone would send a few dozen per second.
     */
    @Test
    void minRateSendsBeyondTheWindow() throws Exception {
        PortSet dropped = PortSet.range(DROPPED_FIRST, DROPPED_LAST);
        Timing timing = ScanJobs.withRates(ScanJobs.fixedTimeout(Duration.ofSeconds(1), 0), Duration.ZERO, 4000, 0);
        AtomicReference<HostResult> result = new AtomicReference<>();
        List<Double> times = synTimes("dst portrange " + DROPPED_FIRST + "-" + DROPPED_LAST,
                () -> result.set(scan(dropped, timing)));
        assertEquals(dropped.size(), result.get().ports().size());
        assertTrue(result.get().ports().stream().allMatch(p -> p.reason() == Reason.NO_RESPONSE));
        double first = times.get(0);
        long early = times.stream().filter(t -> t - first <= 0.5).count();
        assertTrue(early >= dropped.size(), "SYNs in the first half second: " + early);
    }

    /**
     * --max-retries on the wire: a silent port gets one try with --max-retries 0, and two (nmap's
     * one retry without evidence of loss) with --max-retries 6.
     */
    @Test
    void maxRetriesCountsTriesOnTheWire() throws Exception {
        PortSet one = PortSet.of(DROPPED_FIRST);
        String filter = "dst port " + DROPPED_FIRST;
        List<Double> none = synTimes(filter, () -> scan(one, ScanJobs.fixedTimeout(Duration.ofMillis(200), 0)));
        List<Double> six = synTimes(filter, () -> scan(one, ScanJobs.fixedTimeout(Duration.ofMillis(200), 6)));
        assertEquals(1, none.size(), "tries with --max-retries 0");
        assertEquals(2, six.size(), "tries with --max-retries 6 and no answered retransmission");
    }

    /** --host-timeout: the host comes back timed out, with only what was decided in time. */
    @Test
    void hostTimeoutCutsTheHostShort() throws Exception {
        PortSet ports = PortSet.range(DROPPED_FIRST, DROPPED_LAST).union(PortSet.of(OPEN))
                .union(PortSet.range(CLOSED_FIRST, CLOSED_FIRST + 9));
        Timing timing = ScanJobs.withHostTimeout(ScanJobs.fixedTimeout(Duration.ofSeconds(5), 10),
                Duration.ofMillis(800));
        long start = System.nanoTime();
        HostResult result = scan(ports, timing);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(result.timedOut());
        assertTrue(seconds >= 0.75 && seconds < 2.5, "took " + seconds + " s");
        assertTrue(result.ports().size() < ports.size(), "incomplete: " + result.ports().size());
        assertTrue(result.ports().stream().noneMatch(p -> p.reason() == Reason.NO_RESPONSE),
                "no port could time out within the host timeout");
    }

    /**
     * Interrupted mid-scan: returns within a second with what it had decided. The ports go in
     * order (-r), so the open ones are among the first tries and have answered by then.
     */
    @Test
    void interruptionReturnsPartialResultsPromptly() throws Exception {
        PortSet ports = PortSet.range(DROPPED_FIRST, DROPPED_LAST).union(PortSet.of(OPEN));
        ScanJob job = job(target(), ports, ScanJobs.fixedTimeout(Duration.ofSeconds(5), 10), false);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                scanner().scan(job, ScanObserver.NONE);
                outcome.set(new AssertionError("scan finished without being interrupted"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "scheduling-contract-scan");
        thread.start();
        Thread.sleep(700);
        long interruptedAt = System.nanoTime();
        thread.interrupt();
        thread.join(3000);
        double stopSeconds = (System.nanoTime() - interruptedAt) / 1e9;
        assertFalse(thread.isAlive(), "scan still running 3 s after interrupt");
        assertTrue(stopSeconds < 1.0, "stopped after " + stopSeconds + " s");
        PartialScanException partial = assertInstanceOf(PartialScanException.class, outcome.get());
        assertEquals(1, partial.hosts().size());
        HostResult host = partial.hosts().get(0);
        assertTrue(host.interrupted());
        for (int port : OPEN) {
            assertTrue(host.ports().stream().anyMatch(p -> p.port() == port && p.reason() == Reason.SYN_ACK),
                    "the open port " + port + " answered before the interrupt: " + host.ports());
        }
        assertTrue(host.ports().size() < ports.size(), "the silent ports were still undecided");
    }

    /** 20% random loss each way, default timing: every port gets the state and reason its rule gives. */
    @Test
    void randomLossGivesExactResults() throws Exception {
        LabPortPlan plan = LabLayouts.typicalHost().lossPercent(20).build();
        String[] subnets = lossSubnets();
        NetnsLab.cleanupLeftovers(subnets[2]);
        try (NetnsLab lossy = NetnsLab.builder().prefix(subnets[2]).subnets(subnets[0], subnets[1]).plan(plan).start()) {
            PortSet ports = PortSet.of(plan.ports().stream().mapToInt(Integer::intValue).toArray());
            ScanJob job = job(lossy.target(IpFamily.V4), ports, new TimingOptions().build());
            long start = System.nanoTime();
            HostResult host = scanner().scan(job, ScanObserver.NONE).get(0);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<Integer, String> wrong = new TreeMap<>();
            for (PortResult port : host.ports()) {
                Expectation expected = plan.expected(scanType(), IpFamily.V4, port.port());
                Outcome got = Outcome.of(port.state(), port.reason());
                if (!expected.accepts(got)) {
                    wrong.put(port.port(), "expected " + expected + ", got " + got);
                }
            }
            assertEquals(ports.size(), host.ports().size());
            assertEquals(Map.of(), wrong, "ports wrong behind 20% loss");
            assertTrue(seconds < 60, "took " + seconds + " s");
        }
    }
}
