package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The progress of one host in a connect scan: ports not yet tried, ports waiting for a
 * retransmission, probes in flight (oldest first), verdicts, and the host's RTT estimate.
 *
 * <p>Retransmission follows nmap's HostScanStats::allowedTryno: every port gets one retry, and more
 * only once a retransmitted probe has been answered (proof that this path loses packets), up to
 * --max-retries. A port that timed out at the current limit waits on the "bench" while the limit
 * may still rise; when the host has nothing else left, the bench is declared no-response.
 */
final class HostScan {
    /** A port and the try number its next probe will carry. */
    private record PendingTry(int port, int tryNo) {
    }

    /** The host's position in the job's target list. */
    final int index;
    final Target target;
    final RttEstimator rtt;
    private final int[] order;
    private final int retryCap;
    private final int timingLevel;
    private final long maxScanDelayNanos;
    private int nextFresh;
    private final ArrayDeque<PendingTry> retries = new ArrayDeque<>();
    private final ArrayDeque<PendingTry> bench = new ArrayDeque<>();
    private final ArrayDeque<ConnectProbe> outstanding = new ArrayDeque<>();
    private final Map<Integer, PortResult> verdicts;
    private int inFlight;
    private int maxSuccessfulTry;
    private long delayNanos;
    private long lastSendNanos;
    private boolean sentAny;
    private long startMillis;
    private long startNanos;
    private long endMillis;
    private boolean timedOut;
    private boolean started;
    /** The result, made once when the host finished; null before. */
    private HostResult finishedResult;

    HostScan(int index, Target target, int[] order, Timing timing) {
        this.index = index;
        this.target = target;
        this.order = order;
        this.rtt = new RttEstimator(timing);
        this.retryCap = timing.maxRetries();
        this.timingLevel = timing.level();
        this.delayNanos = timing.scanDelay().toNanos();
        this.maxScanDelayNanos = Math.max(delayNanos, timing.maxScanDelay().toNanos());
        this.verdicts = new HashMap<>(Math.max(16, order.length * 4 / 3 + 1));
    }

    void start(long nowMillis, long nowNanos) {
        started = true;
        startMillis = nowMillis;
        startNanos = nowNanos;
    }

    long startNanos() {
        return startNanos;
    }

    /** nmap's allowedTryno: the highest try number a probe may carry now. */
    int allowedTry() {
        return Math.min(Math.max(1, maxSuccessfulTry + 1), retryCap);
    }

    boolean hasWork() {
        return !retries.isEmpty() || nextFresh < order.length;
    }

    /** Whether --scan-delay (or the delay raised after heavy loss) lets a probe go now. */
    boolean delayAllows(long nowNanos) {
        return !sentAny || delayNanos == 0 || nowNanos - lastSendNanos >= delayNanos;
    }

    long nextDelayedSendNanos() {
        return !sentAny || delayNanos == 0 ? Long.MIN_VALUE : lastSendNanos + delayNanos;
    }

    /** The next (port, try) to probe, retransmissions first; call only when {@link #hasWork()}. */
    long takeNext() {
        PendingTry next = retries.poll();
        if (next == null) {
            next = new PendingTry(order[nextFresh++], 0);
        }
        return ((long) next.tryNo() << 32) | next.port();
    }

    /** Puts back a try that never left (our own resources ran out). */
    void giveBack(int port, int tryNo) {
        retries.addFirst(new PendingTry(port, tryNo));
    }

    void sent(ConnectProbe probe, long nowNanos) {
        outstanding.add(probe);
        inFlight++;
        lastSendNanos = nowNanos;
        sentAny = true;
    }

    /** A probe left the flight (answered or timed out). */
    void landed(ConnectProbe probe) {
        probe.finish();
        inFlight--;
    }

    int inFlight() {
        return inFlight;
    }

    /** The oldest probe still in flight, dropping finished ones from the head of the queue. */
    ConnectProbe oldestInFlight() {
        ConnectProbe head = outstanding.peek();
        while (head != null && head.isFinished()) {
            outstanding.poll();
            head = outstanding.peek();
        }
        return head;
    }

    /**
     * Records a verdict from an answer to {@code probe}. Returns true when the answer proves a
     * loss (it answered a retransmission), which the caller reports to the congestion window.
     */
    boolean answered(ConnectProbe probe, PortResult result) {
        verdicts.put(result.port(), result);
        // nmap does not let ICMP errors to retransmissions speed up retries or count as drops:
        // they are often rate-limited or come from a middlebox.
        boolean counts = !(result.state() == PortState.FILTERED && probe.tryNo > 0);
        if (counts && probe.tryNo > maxSuccessfulTry) {
            maxSuccessfulTry = probe.tryNo;
            if (!bench.isEmpty()) {
                retryBench();
            }
            if (maxSuccessfulTry > (timingLevel >= 4 ? 4 : 3)) {
                boostDelay();
            }
        }
        return counts && probe.tryNo > 0;
    }

    /**
     * No answer in time for {@code probe}: queue a retransmission, or bench the port. Returns
     * the verdict when the port is finished (no-response), else null.
     */
    PortResult timedOut(ConnectProbe probe) {
        int allowed = allowedTry();
        if (probe.tryNo < allowed) {
            retries.add(new PendingTry(probe.port, probe.tryNo + 1));
            return null;
        }
        if (allowed < retryCap) {
            bench.add(new PendingTry(probe.port, probe.tryNo + 1));
            return null;
        }
        return noResponse(probe.port);
    }

    /** The port stays undecided (nmap's "strange error"): it ends as nmap's default verdict. */
    PortResult undecided(int port) {
        return noResponse(port);
    }

    /**
     * When nothing else is left, the benched ports will never be retried: finish them. Returns
     * their verdicts.
     */
    List<PortResult> dismissBenchIfIdle() {
        if (bench.isEmpty() || inFlight > 0 || hasWork()) {
            return List.of();
        }
        List<PortResult> finished = new ArrayList<>(bench.size());
        for (PendingTry pending : bench) {
            finished.add(noResponse(pending.port()));
        }
        bench.clear();
        return finished;
    }

    boolean isComplete() {
        return timedOut || (inFlight == 0 && !hasWork() && bench.isEmpty());
    }

    /** --host-timeout hit: abandon what is in flight; the caller reports the host as timed out. */
    void abandon(long nowMillis) {
        ConnectProbe probe;
        while ((probe = outstanding.poll()) != null) {
            if (!probe.isFinished()) {
                landed(probe);
            }
        }
        retries.clear();
        bench.clear();
        nextFresh = order.length;
        timedOut = true;
        endMillis = nowMillis;
    }

    /** The host's scan is done: returns its result, which is final from now on. */
    HostResult finish(long nowMillis) {
        if (!timedOut) {
            endMillis = nowMillis;
        }
        finishedResult = result();
        return finishedResult;
    }

    boolean started() {
        return started;
    }

    /** Closes every channel still open (interruption, fatal error). */
    void closeAll() {
        for (ConnectProbe probe : outstanding) {
            probe.finish();
        }
        outstanding.clear();
        inFlight = 0;
    }

    /**
     * The host's result. After a host timeout only the ports decided so far are listed (nmap
     * prints none of them; the reporter decides).
     */
    HostResult result() {
        if (finishedResult != null) {
            return finishedResult;
        }
        List<PortResult> ports = new ArrayList<>(timedOut ? verdicts.size() : order.length);
        if (timedOut) {
            ports.addAll(verdicts.values());
        } else {
            for (int port : order) {
                PortResult verdict = verdicts.get(port);
                ports.add(verdict != null ? verdict : noResponseResult(port));
            }
        }
        ports.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return new HostResult(target, ports, startMillis, endMillis, timedOut, rtt.times());
    }

    /**
     * The result of a host whose scan was interrupted: as it finished, or, when it had not
     * finished, the ports decided so far.
     */
    HostResult interruptedResult(long nowMillis) {
        if (finishedResult != null) {
            return finishedResult;
        }
        List<PortResult> ports = new ArrayList<>(verdicts.values());
        ports.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return new HostResult(target, ports, startMillis, nowMillis, timedOut, rtt.times(), Optional.empty(), true);
    }

    private PortResult noResponse(int port) {
        PortResult result = noResponseResult(port);
        verdicts.put(port, result);
        return result;
    }

    private static PortResult noResponseResult(int port) {
        return new PortResult(port, PortState.FILTERED, Reason.NO_RESPONSE, 0, PortResult.NO_RTT);
    }

    private void retryBench() {
        int allowed = allowedTry();
        int size = bench.size();
        for (int i = 0; i < size; i++) {
            PendingTry pending = bench.poll();
            if (pending.tryNo() <= allowed) {
                retries.add(pending);
            } else {
                bench.add(pending);
            }
        }
    }

    /** nmap's boostScanDelay: 5 ms, then doubling up to 1 s, never above --max-scan-delay. */
    private void boostDelay() {
        long fiveMs = 5_000_000L;
        long oneSecond = 1_000_000_000L;
        long boosted = delayNanos == 0 ? fiveMs : Math.min(delayNanos * 2, oneSecond);
        delayNanos = Math.max(delayNanos, Math.min(boosted, maxScanDelayNanos));
    }
}
