package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.CaptureWaitProtocol;
import io.github.jmeterportscan.link.ReaderWakeups;
import io.github.jmeterportscan.probe.SynCookie;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Timing;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send/receive/timeout cycle of a raw scan, run on the caller's thread. Every piece of scan
 * state is touched only here; whichever thread reads the capture (often this one, see
 * {@link CaptureWaitProtocol}) just queues validated replies in the inbox.
 *
 * <p>The raw transport under the shared scheduling rules ({@link ScanSchedule}, one
 * {@link HostSchedule} per host): each turn it applies replies, lets each host's schedule time out
 * probes, sends in one batch what the schedules allow (hosts in turn), then sleeps until a reply or
 * the next deadline.
 */
final class RawScanLoop {
    private static final Logger LOG = LoggerFactory.getLogger(RawScanLoop.class);
    /** Consecutive send failures on one host before we call its path broken. */
    private static final int MAX_SEND_FAILURES = 64;
    private static final long MAX_SLEEP_NANOS = 50_000_000;

    private final RawHostScan[] hosts;
    private final SynCookie cookie;
    private final int sourcePort;
    private final boolean tryInSourcePort;
    private final Timing timing;
    private final ScanObserver observer;
    /** Null unless the observer traces packets. */
    private final PacketTap tap;
    private static final PortState[] STATES = PortState.values();
    private static final Reason[] REASONS = Reason.values();

    private final ReplyRing inbox;
    /** The distinct captures the hosts' replies come through. */
    private final CaptureWaitProtocol[] captures;
    private final SendBatch batch;
    private final ReplyRing.Consumer applyReply = this::apply;
    private final Thread loopThread = Thread.currentThread();
    private volatile boolean sleeping;

    private final ScanSchedule schedule;
    private int roundRobin;
    private int consecutiveSendFailures;

    /**
     * @param tryInSourcePort send try n from {@code sourcePort + n}, as nmap does unless the
     *                        source port was given (-g); see {@link ReplyMatcher}
     */
    RawScanLoop(RawHostScan[] hosts, SynCookie cookie, int sourcePort, boolean tryInSourcePort, Timing timing,
            ScanObserver observer, ScanSchedule schedule) {
        this.hosts = hosts;
        this.cookie = cookie;
        this.sourcePort = sourcePort;
        this.tryInSourcePort = tryInSourcePort;
        this.timing = timing;
        this.observer = observer;
        this.tap = PacketTap.of(observer);
        this.captures = distinctCaptures(hosts);
        // Two entries a probe: when it left (seen by the capture) and its reply.
        this.inbox = new ReplyRing(ReplyRing.capacityFor(2L * hosts.length * hosts[0].ports.length));
        this.batch = new SendBatch(SendHelpers.shared(), (long) hosts.length * hosts[0].ports.length);
        this.schedule = schedule;
    }

    /** The scan-wide schedule of a raw scan with this timing. */
    static ScanSchedule scheduleFor(Timing timing, long startNanos, int ports) {
        // nmap's -T0..-T2 allow one probe at a time (max_parallelism 1); the others let it grow.
        CongestionWindow window = timing.level() <= 2 ? new CongestionWindow(1, 1, 1, timing.level())
                : new CongestionWindow(initialWindow(timing), 10, 8192, timing.level());
        return new ScanSchedule(timing, window, startNanos, ports);
    }

    private static CaptureWaitProtocol[] distinctCaptures(RawHostScan[] hosts) {
        if (hosts.length == 1) {
            return new CaptureWaitProtocol[] {hosts[0].link.captureReader()};
        }
        java.util.Set<CaptureWaitProtocol> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (RawHostScan host : hosts) {
            seen.add(host.link.captureReader());
        }
        return seen.toArray(new CaptureWaitProtocol[0]);
    }

    /** Faster templates start with more probes in flight; a scan delay starts at one. */
    private static int initialWindow(Timing timing) {
        if (!timing.scanDelay().isZero()) {
            return 1;
        }
        return timing.level() >= 4 ? 256 : 128;
    }

    /** Whether some probe went unanswered within its timeout: only then can lost replies matter. */
    boolean anyProbeTimedOut() {
        return schedule.anyProbeTimedOut();
    }

    ReplyRing inbox() {
        return inbox;
    }

    /** Where the capture side reports matched replies; null when packets are not traced. */
    PacketTap packetTap() {
        return tap;
    }

    /** Called by the thread that read the capture, after queueing a reply. */
    void wakeUp() {
        if (sleeping) {
            ReaderWakeups.unpark(loopThread);
        }
    }

    void run() throws InterruptedException, ScanException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("scan interrupted");
            }
            long now = System.nanoTime();
            drainReplies();
            if (anyTimeoutDue(now)) {
                catchUpCaptures();
                drainReplies();
            }
            boolean anyLeft = expireAndFinish(now);
            if (!anyLeft) {
                return;
            }
            sendWhatWeMay(now);
            sleepUntilNextEvent();
        }
    }

    private void drainReplies() {
        inbox.drain(applyReply);
    }

    private void apply(int hostIndex, int port, int tryNo, int stateOrdinal, int reasonOrdinal, int ttl,
            long replyNanos) {
        RawHostScan host = hosts[hostIndex];
        int i = host.indexOf(port);
        if (i < 0) {
            return;
        }
        HostSchedule hs = host.schedule;
        if (stateOrdinal == ReplyRing.SENT) {
            if (!hs.finished() && tryNo < hs.nextTry(i)) {
                hs.leftAt(i, tryNo, replyNanos);
            }
            return;
        }
        PortState state = STATES[stateOrdinal];
        long rttMicros = hs.answered(i, tryNo, state == PortState.FILTERED, replyNanos, -1);
        if (rttMicros == HostSchedule.IGNORED) {
            return;
        }
        if (io.github.jmeterportscan.probe.ReplyClassifier.replaces(host.stateOf(i), state)) {
            host.decide(i, state, REASONS[reasonOrdinal], ttl, rttMicros);
            if (observer != ScanObserver.NONE) {
                observer.portDecided(host.target, host.resultAt(i));
            }
        }
    }

    /** Whether some probe's timeout or some host's deadline has passed at {@code now}. */
    private boolean anyTimeoutDue(long now) {
        for (RawHostScan host : hosts) {
            if (host.schedule.timeoutDue(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A probe is unanswered only if its reply is not in the capture either: every reply that
     * reached a capture before {@code now} is handed over (waiting for whichever thread is
     * reading) before any probe times out or any host ends on its deadline, so a reader that
     * stalls with replies still in the ring delays verdicts but cannot turn answering ports into
     * filtered ones.
     */
    private void catchUpCaptures() throws InterruptedException {
        for (CaptureWaitProtocol capture : captures) {
            capture.catchUp();
        }
    }

    /** Times out probes, settles finished hosts; returns false when every host is finished. */
    private boolean expireAndFinish(long now) {
        boolean anyLeft = false;
        for (RawHostScan host : hosts) {
            HostSchedule hs = host.schedule;
            if (hs.finished()) {
                continue;
            }
            if (hs.pastDeadline(now)) {
                finish(host, true);
                continue;
            }
            hs.expire(now);
            if (hs.readyToSettle()) {
                settleOutOfTries(host);
                finish(host, false);
                continue;
            }
            anyLeft = true;
        }
        return anyLeft;
    }

    /** Ports that used every allowed try without an answer are filtered, as nmap says. */
    private void settleOutOfTries(RawHostScan host) {
        for (int i = host.schedule.pollOutOfTries(); i >= 0; i = host.schedule.pollOutOfTries()) {
            host.decide(i, PortState.FILTERED, Reason.NO_RESPONSE, 0, -1);
            if (observer != ScanObserver.NONE) {
                observer.portDecided(host.target, host.resultAt(i));
            }
        }
    }

    private void finish(RawHostScan host, boolean hostTimeout) {
        host.schedule.finish(hostTimeout);
        host.endMillis = System.currentTimeMillis();
        if (hostTimeout) {
            LOG.info("Skipping host {} due to host timeout", host.target.displayName());
        }
        host.reportFinished(observer);
    }

    private void sendWhatWeMay(long now) throws ScanException {
        try {
            chooseProbes(now);
        } catch (RuntimeException | Error e) {
            // Helpers at work on the batch wait for it to close: never leave them spinning.
            try {
                batch.send();
            } catch (ScanException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                batch.clear();
            }
            throw e;
        }
        flushBatch();
    }

    /** Queues probes, hosts in turn, while the schedules allow; full batches leave at once. */
    private void chooseProbes(long now) throws ScanException {
        int hostsTried = 0;
        while (hostsTried < hosts.length) {
            if (!schedule.maySend(now)) {
                return;
            }
            int hostIndex = roundRobin;
            RawHostScan host = hosts[hostIndex];
            roundRobin = (roundRobin + 1) % hosts.length;
            int i = host.schedule.next(now);
            if (i < 0) {
                hostsTried++;
                continue;
            }
            hostsTried = 0;
            queue(hostIndex, i, now);
            if (batch.isFull()) {
                flushBatch();
            }
            now = System.nanoTime();
        }
    }

    /**
     * Builds the probe for port {@code i} into the batch and books it as sent: the batch leaves
     * within the same turn, before any reply is applied, so nothing can answer it earlier.
     */
    private void queue(int hostIndex, int i, long now) {
        RawHostScan host = hosts[hostIndex];
        int port = host.ports[i];
        int tryNo = host.schedule.nextTry(i);
        int seq = cookie.encode(host.sourceHi, host.sourceLo, host.targetHi, host.targetLo, sourcePort, port, tryNo);
        byte[] datagram = host.template.fill(tryInSourcePort ? sourcePort + tryNo : sourcePort, port, seq);
        if (tap != null) {
            // Traced before it leaves (as nmap does), so a fast reply cannot be reported first.
            tap.sent(datagram, 0, host.template.length(), System.nanoTime());
        }
        batch.add(host.link, datagram, host.template.length(), hostIndex, port);
        host.schedule.sent(i, now);
    }

    /** Sends the batch; a path that fails {@link #MAX_SEND_FAILURES} sends in a row ends the scan. */
    private void flushBatch() throws ScanException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (batch.helpersAtWork()) {
                // The replies that came in are applied while the helpers send, before this thread
                // joins them: the other cores never wait for the loop's own bookkeeping.
                batch.close();
                drainReplies();
            }
            batch.send();
            for (int k = 0; k < batch.size(); k++) {
                IOException failure = batch.failure(k);
                if (failure == null) {
                    consecutiveSendFailures = 0;
                    continue;
                }
                RawHostScan host = hosts[batch.hostIndex(k)];
                if (++consecutiveSendFailures >= MAX_SEND_FAILURES) {
                    throw new ScanException("Cannot send probes to " + host.target.displayName() + " via "
                            + host.link.interfaceName() + ": " + failure.getMessage(), failure);
                }
                if (consecutiveSendFailures == 1) {
                    LOG.warn("Sending a probe to {} port {} failed: {}", host.target.displayName(), batch.port(k),
                            failure.getMessage());
                }
            }
        } finally {
            batch.clear();
        }
    }

    private void sleepUntilNextEvent() {
        long now = System.nanoTime();
        long wake = now + MAX_SLEEP_NANOS;
        boolean anyReady = false;
        for (RawHostScan host : hosts) {
            wake = host.schedule.wakeNanos(now, wake);
            anyReady |= host.schedule.readyToSend(now);
        }
        if (anyReady) {
            if (schedule.maySend(now)) {
                return;
            }
            wake = Math.min(wake, Math.max(now, schedule.rateWakeNanos(now)));
        }
        // On loopback and veth the replies are in the ring already: take them rather than sleep.
        if (inbox.isEmpty()) {
            for (CaptureWaitProtocol capture : captures) {
                capture.readPending();
            }
        }
        if (!inbox.isEmpty() || wake <= now) {
            return;
        }
        sleeping = true;
        for (CaptureWaitProtocol capture : captures) {
            capture.waiterArrived();
        }
        try {
            if (inbox.isEmpty()) {
                LockSupport.parkNanos(this, wake - now);
            }
        } finally {
            for (CaptureWaitProtocol capture : captures) {
                capture.waiterLeft();
            }
            sleeping = false;
        }
    }
}
