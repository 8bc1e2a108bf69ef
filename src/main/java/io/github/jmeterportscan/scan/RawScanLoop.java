package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.CaptureReader;
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
 * {@link CaptureReader}) just queues validated replies in the inbox.
 *
 * <p>Each turn: apply replies, expire probes whose timeout passed (queueing a retransmission when
 * nmap's try allowance permits), send what the window and rate allow (retransmissions first, hosts
 * in turn), then sleep until a reply or the next deadline.
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
    private final CaptureReader[] captures;
    private final SendBatch batch;
    private final ReplyRing.Consumer applyReply = this::apply;
    private final Thread loopThread = Thread.currentThread();
    private volatile boolean sleeping;

    private final CongestionWindow window;
    private final long sendIntervalNanos;
    private final double minRate;
    private final long startNanos;
    private long nextRateSlotNanos;
    private long sentCount;
    private int active;
    private int roundRobin;
    private int consecutiveSendFailures;
    /** Whether any reply at all has arrived in this scan. */
    private boolean anyAnswer;
    /** Some probe went unanswered within its timeout. */
    private boolean anyTimedOut;
    /** A probe timed out before any reply arrived: see {@link #windowSize()}. */
    private boolean silent;

    /**
     * @param tryInSourcePort send try n from {@code sourcePort + n}, as nmap does unless the
     *                        source port was given (-g); see {@link ReplyMatcher}
     */
    RawScanLoop(RawHostScan[] hosts, SynCookie cookie, int sourcePort, boolean tryInSourcePort, Timing timing,
            ScanObserver observer, long startNanos) {
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
        this.startNanos = startNanos;
        // nmap's -T0..-T2 allow one probe at a time (max_parallelism 1); the others let it grow.
        this.window = timing.level() <= 2 ? new CongestionWindow(1, 1, 1, timing.level())
                : new CongestionWindow(initialWindow(timing), 10, 8192, timing.level());
        this.sendIntervalNanos = timing.maxRate() > 0 ? (long) (1e9 / timing.maxRate()) : 0;
        this.minRate = timing.minRate();
        this.nextRateSlotNanos = startNanos;
    }

    private static CaptureReader[] distinctCaptures(RawHostScan[] hosts) {
        if (hosts.length == 1) {
            return new CaptureReader[] {hosts[0].link.captureReader()};
        }
        java.util.Set<CaptureReader> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (RawHostScan host : hosts) {
            seen.add(host.link.captureReader());
        }
        return seen.toArray(new CaptureReader[0]);
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
        return anyTimedOut;
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
        if (host.finished) {
            return;
        }
        int i = host.indexOf(port);
        if (i < 0 || tryNo >= host.tries[i]) {
            return;
        }
        boolean answersLatest = tryNo == host.tries[i] - 1;
        if (stateOrdinal == ReplyRing.SENT) {
            // The capture saw the probe leave: its round trip starts on the wire, not in our queue.
            if (answersLatest) {
                host.lastSentNanos[i] = replyNanos;
            }
            return;
        }
        long rttMicros = answersLatest ? Math.max(0, replyNanos - host.lastSentNanos[i]) / 1000 : -1;
        // An answer to a try that already timed out is late: on a lossy path it is typically the
        // target's own SYN-ACK retransmission a second later (our kernel's RST got lost), and
        // taken as a round trip it inflated the timeout tenfold. It decides the port, not the RTT.
        boolean timely = host.active[i];
        if (host.active[i]) {
            host.active[i] = false;
            active--;
            if (answersLatest) {
                host.pace.resolved(true, host.lastSentNanos[i]);
            }
        }
        anyAnswer = true;
        PortState state = STATES[stateOrdinal];
        // nmap: ICMP errors are often rate-limited, so one to a retransmission is no sign of loss.
        boolean icmpError = state == PortState.FILTERED;
        boolean neutral = icmpError && tryNo > 0;
        if (host.allowance.answered(tryNo, !host.isDecided(i), icmpError)) {
            allowanceGrew(host);
        }
        host.pace.answered(tryNo > 0, neutral, host.lastSentNanos[i], replyNanos);
        if (!neutral) {
            // A loss that sending slower does not make rarer is no congestion (see SendPace).
            if (tryNo > 0 && !host.pace.lossIndependentOfRate()) {
                window.dropped(host.lastSentNanos[i], active, replyNanos);
            } else {
                window.answered();
            }
        }
        if (rttMicros >= 0 && timely) {
            host.rtt.sample(rttMicros);
        }
        PortState current = host.stateOf(i);
        if (io.github.jmeterportscan.probe.ReplyClassifier.replaces(current, state)) {
            host.decide(i, state, REASONS[reasonOrdinal], ttl, rttMicros);
            if (observer != ScanObserver.NONE) {
                observer.portDecided(host.target, host.resultAt(i));
            }
        }
    }

    /** Requeues parked ports when the allowance grew since they were parked; true when any was. */
    private boolean allowanceGrew(RawHostScan host) {
        int allowed = host.allowance.sends();
        if (allowed <= host.lastAllowedSends) {
            return false;
        }
        host.lastAllowedSends = allowed;
        requeueParked(host);
        return !host.retransmits.isEmpty();
    }

    private void requeueParked(RawHostScan host) {
        int allowed = host.allowance.sends();
        for (int n = host.parked.size(); n > 0; n--) {
            int i = host.parked.poll();
            if (host.isDecided(i)) {
                continue;
            }
            if (host.tries[i] < allowed) {
                host.retransmits.add(i);
            } else {
                host.parked.add(i);
            }
        }
    }

    /**
     * Whether some probe's timeout or some host's deadline has passed at {@code now}. Answered
     * probes at the head of the in-flight queues are dropped on the way: they time nothing out.
     */
    private boolean anyTimeoutDue(long now) {
        for (RawHostScan host : hosts) {
            if (host.finished) {
                continue;
            }
            if (now >= host.deadlineNanos) {
                return true;
            }
            RawHostScan.InFlight inFlight = host.inFlight;
            long timeout = host.rtt.timeoutMicros() * 1000;
            while (!inFlight.isEmpty()) {
                int i = inFlight.headIndex();
                if (host.active[i] && inFlight.headTry() == host.tries[i] - 1) {
                    if (now - inFlight.headSentNanos() >= timeout) {
                        return true;
                    }
                    break;
                }
                inFlight.removeHead();
            }
        }
        return false;
    }

    /**
     * A probe is unanswered only if its reply is not in the capture either: every reply that
     * reached a capture before {@code now} is handed over (waiting for whichever thread is
     * reading) before any probe times out or any host ends on its deadline. Without this, a
     * reader that stalled with the replies still in the ring made scans that timed out on the
     * clock report answering ports as filtered.
     */
    private void catchUpCaptures() throws InterruptedException {
        for (CaptureReader capture : captures) {
            capture.catchUp();
        }
    }

    /** Times out probes, settles finished hosts; returns false when every host is finished. */
    private boolean expireAndFinish(long now) {
        boolean anyLeft = false;
        for (RawHostScan host : hosts) {
            if (host.finished) {
                continue;
            }
            if (now >= host.deadlineNanos) {
                host.timedOut = true;
                finish(host);
                continue;
            }
            expire(host, now);
            if (host.allDecided() || (!host.hasFresh() && host.retransmits.isEmpty() && host.inFlight.isEmpty())) {
                if (!host.allDecided() && allowanceGrew(host)) {
                    // Other hosts' answers showed loss since these ports were parked: they go again.
                    anyLeft = true;
                    continue;
                }
                settleParked(host);
                finish(host);
                continue;
            }
            anyLeft = true;
        }
        return anyLeft;
    }

    private void expire(RawHostScan host, long now) {
        long timeout = host.rtt.timeoutMicros() * 1000;
        RawHostScan.InFlight inFlight = host.inFlight;
        while (!inFlight.isEmpty()) {
            int i = inFlight.headIndex();
            boolean stale = !host.active[i] || inFlight.headTry() != host.tries[i] - 1;
            if (!stale && now - inFlight.headSentNanos() < timeout) {
                break;
            }
            inFlight.removeHead();
            if (stale) {
                continue;
            }
            host.active[i] = false;
            active--;
            host.pace.resolved(false, host.lastSentNanos[i]);
            anyTimedOut = true;
            silent |= !anyAnswer;
            if (host.isDecided(i)) {
                continue;
            }
            if (host.tries[i] < host.allowance.sends()) {
                host.retransmits.add(i);
            } else {
                host.parked.add(i);
            }
        }
        if (host.pace.tick(now, timeout)) {
            // Its earlier losses were no congestion either: the window takes back what they cost.
            window.restore();
        }
    }

    /** Ports that used every allowed try without an answer are filtered, as nmap says. */
    private void settleParked(RawHostScan host) {
        while (!host.parked.isEmpty()) {
            int i = host.parked.poll();
            if (!host.isDecided(i)) {
                host.decide(i, PortState.FILTERED, Reason.NO_RESPONSE, 0, -1);
                if (observer != ScanObserver.NONE) {
                    observer.portDecided(host.target, host.resultAt(i));
                }
            }
        }
    }

    private void finish(RawHostScan host) {
        host.finished = true;
        host.endMillis = System.currentTimeMillis();
        for (int i = 0; i < host.ports.length; i++) {
            if (host.active[i]) {
                host.active[i] = false;
                active--;
            }
        }
        if (host.timedOut) {
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

    /** Queues probes, hosts in turn, while the window and the rate allow; full batches leave at once. */
    private void chooseProbes(long now) throws ScanException {
        int hostsTried = 0;
        while (hostsTried < hosts.length) {
            if (!mayCountAnotherProbe(now)) {
                return;
            }
            int hostIndex = roundRobin;
            RawHostScan host = hosts[hostIndex];
            roundRobin = (roundRobin + 1) % hosts.length;
            int i = host.finished || host.nextSendNanos > now ? -1 : nextPortToSend(host);
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

    private boolean mayCountAnotherProbe(long now) {
        if (sendIntervalNanos > 0 && now < nextRateSlotNanos) {
            return false;
        }
        if (active < windowSize()) {
            return true;
        }
        // --min-rate: keep sending past the window when we are behind the promised rate.
        return minRate > 0 && sentCount < minRate * (now - startNanos) / 1e9;
    }

    /**
     * Probes allowed in flight. The window grows with answers, so on targets that answer nothing
     * it would stay at its initial size and every port would wait a whole timeout per window (a
     * 1000-port scan of a host that drops everything took 4 s at -T4, 131070 probes of -p- 256 s).
     * A timeout is no sign of congestion (see {@link CongestionWindow}), and until something
     * answers there is no other sign to go by: once the first probe of a silent scan has timed
     * out, the window opens to its ceiling. The first answer ends this for good, and from then on
     * the window, which slow start had not grown, is in charge again; retries still follow nmap
     * (two tries per port at least, each after the full RTT timeout).
     */
    private int windowSize() {
        return silent && !anyAnswer ? window.high() : window.size();
    }

    private int nextPortToSend(RawHostScan host) {
        while (!host.retransmits.isEmpty()) {
            int i = host.retransmits.poll();
            if (!host.isDecided(i)) {
                return i;
            }
        }
        while (host.hasFresh()) {
            return host.nextFreshIndex();
        }
        return -1;
    }

    /**
     * Builds the probe for port {@code i} into the batch and books it as sent: the batch leaves
     * within the same turn, before any reply is applied, so nothing can answer it earlier.
     */
    private void queue(int hostIndex, int i, long now) {
        RawHostScan host = hosts[hostIndex];
        int port = host.ports[i];
        int tryNo = host.tries[i];
        int seq = cookie.encode(host.sourceHi, host.sourceLo, host.targetHi, host.targetLo, sourcePort, port, tryNo);
        byte[] datagram = host.template.fill(tryInSourcePort ? sourcePort + tryNo : sourcePort, port, seq);
        if (tap != null) {
            // Traced before it leaves (as nmap does), so a fast reply cannot be reported first.
            tap.sent(datagram, 0, host.template.length(), System.nanoTime());
        }
        batch.add(host.link, datagram, host.template.length(), hostIndex, port);
        host.tries[i]++;
        host.lastSentNanos[i] = now;
        host.active[i] = true;
        host.inFlight.add(i, tryNo, now);
        active++;
        sentCount++;
        host.pace.sent(now);
        long delay = host.pace.delayNanos();
        if (delay > 0) {
            host.nextSendNanos = now + delay;
        }
        if (sendIntervalNanos > 0) {
            nextRateSlotNanos = Math.max(nextRateSlotNanos + sendIntervalNanos, now - sendIntervalNanos);
        }
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
        for (RawHostScan host : hosts) {
            if (host.finished) {
                continue;
            }
            if (!host.inFlight.isEmpty()) {
                wake = Math.min(wake, host.inFlight.headSentNanos() + host.rtt.timeoutMicros() * 1000);
            }
            if (host.nextSendNanos > now && (host.hasFresh() || !host.retransmits.isEmpty())) {
                wake = Math.min(wake, host.nextSendNanos);
            }
            wake = Math.min(wake, host.deadlineNanos);
        }
        if (sendIntervalNanos > 0) {
            wake = Math.min(wake, Math.max(now, nextRateSlotNanos));
        }
        if (canSendNow(now)) {
            return;
        }
        // On loopback and veth the replies are in the ring already: take them rather than sleep.
        if (inbox.isEmpty()) {
            for (CaptureReader capture : captures) {
                capture.readPending();
            }
        }
        if (!inbox.isEmpty() || wake <= now) {
            return;
        }
        sleeping = true;
        for (CaptureReader capture : captures) {
            capture.waiterArrived();
        }
        try {
            if (inbox.isEmpty()) {
                LockSupport.parkNanos(this, wake - now);
            }
        } finally {
            for (CaptureReader capture : captures) {
                capture.waiterLeft();
            }
            sleeping = false;
        }
    }

    /** True when the window has room and some host has a probe ready: no reason to sleep. */
    private boolean canSendNow(long now) {
        if (!mayCountAnotherProbe(now)) {
            return false;
        }
        for (RawHostScan host : hosts) {
            if (!host.finished && host.nextSendNanos <= now && (host.hasFresh() || !host.retransmits.isEmpty())) {
                return true;
            }
        }
        return false;
    }
}
