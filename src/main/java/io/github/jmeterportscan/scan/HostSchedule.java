package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.Timing;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * nmap's per-host scheduling rules (HostScanStats), written once for every transport. It works on
 * port indexes (positions in the host's port list) and counters, so a transport keeps its own
 * per-port columns and allocates nothing per probe. Owned by the thread that runs the scan.
 *
 * <ul>
 *   <li>Tries: every port gets one retry, and more once answers to retransmissions prove loss
 *       ({@link RetryAllowance}: nmap's allowedTryno, extended by a loss estimate). A port that
 *       used its tries waits out of turn while the allowance may still grow; when the host has
 *       nothing else to send or wait for, such ports are the transport's to settle
 *       ({@link #pollOutOfTries()}), as nmap's dismissBench does.</li>
 *   <li>Timeouts: the host's own round-trip estimate, else the scan's (nmap's probeTimeout).</li>
 *   <li>Which answers count (nmap's ultrascan_port_probe_update): an ICMP error to a
 *       retransmission is often rate-limited or from a middlebox, so it decides its port and times
 *       the path but is no evidence of loss and moves no window. An answer to a try that already
 *       timed out decides its port but times nothing: it is typically the target's own
 *       retransmission, and as a round trip it would inflate the timeout.</li>
 *   <li>The pause between probes: --scan-delay, raised only on evidence ({@link SendPace}, in
 *       place of nmap's boostScanDelay).</li>
 *   <li>--host-timeout: the clock starts with the host's first probe (nmap's
 *       ultrascan_host_timeout_init); past it the host is finished as timed out.</li>
 * </ul>
 */
final class HostSchedule {
    /** What {@link #answered} returns for an answer to no try of the port that is still current. */
    static final long IGNORED = Long.MIN_VALUE;

    private final ScanSchedule scan;
    final RttEstimator rtt;
    private final RetryAllowance allowance;
    private final SendPace pace;
    private final long hostTimeoutNanos;
    /** Told the index of each probe that times out, so a transport can free what it holds; or null. */
    private final IntConsumer onTimeout;
    private final int[] sendOrder;
    private int nextFresh;

    /** How many times each port has been sent. */
    private final byte[] tries;
    private final long[] lastSentNanos;
    /** True while the latest transmission of a port is on the wire and not yet timed out. */
    private final boolean[] active;
    private final boolean[] decided;
    private int decidedCount;

    private final ProbeQueues.IntQueue retransmits = new ProbeQueues.IntQueue();
    /** Ports whose tries ran out at the current allowance; they get more if the allowance grows. */
    private final ProbeQueues.IntQueue outOfTries = new ProbeQueues.IntQueue();
    private final ProbeQueues.InFlight inFlight = new ProbeQueues.InFlight();
    /** The try allowance when ports out of tries were last given more. */
    private int lastAllowedSends;
    private long nextSendNanos;
    private long deadlineNanos = Long.MAX_VALUE;
    private boolean started;
    private boolean finished;
    private boolean timedOut;

    /**
     * @param sendOrder the port indexes in the order their first tries go out
     * @param onTimeout told each port index whose probe timed out, or null
     */
    HostSchedule(ScanSchedule scan, Timing timing, int[] sendOrder, long startNanos, IntConsumer onTimeout) {
        this.scan = scan;
        this.rtt = new RttEstimator(timing);
        this.allowance = new RetryAllowance(timing, sendOrder.length, scan.loss);
        this.pace = new SendPace(timing, startNanos);
        this.hostTimeoutNanos = timing.hasHostTimeout() ? timing.hostTimeout().toNanos() : 0;
        this.onTimeout = onTimeout;
        this.sendOrder = sendOrder;
        int n = sendOrder.length;
        this.tries = new byte[n];
        this.lastSentNanos = new long[n];
        this.active = new boolean[n];
        this.decided = new boolean[n];
    }

    /** The try number the next probe of port {@code i} carries. */
    int nextTry(int i) {
        return tries[i];
    }

    boolean isDecided(int i) {
        return decided[i];
    }

    /** The transport recorded a verdict for port {@code i}. */
    void decided(int i) {
        if (!decided[i]) {
            decided[i] = true;
            decidedCount++;
        }
    }

    boolean allDecided() {
        return decidedCount == sendOrder.length;
    }

    boolean started() {
        return started;
    }

    boolean finished() {
        return finished;
    }

    /** Whether --host-timeout ended this host. */
    boolean timedOut() {
        return timedOut;
    }

    /** Whether some port still waits for its first or next try. */
    boolean hasWork() {
        return nextFresh < sendOrder.length || !retransmits.isEmpty();
    }

    /** Whether this host has a probe that its pause lets go at {@code now}. */
    boolean readyToSend(long now) {
        return !finished && nextSendNanos <= now && hasWork();
    }

    /** The port index to probe next, retransmissions first; -1 when none may go at {@code now}. */
    int next(long now) {
        if (finished || nextSendNanos > now) {
            return -1;
        }
        while (!retransmits.isEmpty()) {
            int i = retransmits.poll();
            if (!decided[i]) {
                return i;
            }
        }
        return nextFresh < sendOrder.length ? sendOrder[nextFresh++] : -1;
    }

    /** Port {@code i}, taken by {@link #next}, could not be sent (a local shortage): it goes again. */
    void putBack(int i) {
        retransmits.add(i);
    }

    /** Books the next try of port {@code i} as sent at {@code now}; returns its try number. */
    int sent(int i, long now) {
        int tryNo = tries[i];
        tries[i]++;
        lastSentNanos[i] = now;
        active[i] = true;
        inFlight.add(i, tryNo, now);
        if (!started) {
            started = true;
            if (hostTimeoutNanos > 0) {
                deadlineNanos = now + hostTimeoutNanos;
            }
        }
        scan.sent(now);
        pace.sent(now);
        long delay = pace.delayNanos();
        if (delay > 0) {
            nextSendNanos = now + delay;
        }
        return tryNo;
    }

    /** The capture saw try {@code tryNo} of port {@code i} leave: its round trip starts there. */
    void leftAt(int i, int tryNo, long wireNanos) {
        if (tryNo == tries[i] - 1) {
            lastSentNanos[i] = wireNanos;
        }
    }

    /**
     * An answer to try {@code tryNo} of port {@code i} at {@code replyNanos}.
     *
     * @param icmpError       whether it is an ICMP error (a filtered verdict)
     * @param knownRttMicros  the round trip as the transport timed it, or -1 to time it here
     * @return the round trip in microseconds, -1 when the answer is to an older try, or
     *         {@link #IGNORED} when the host is finished or the try was never sent
     */
    long answered(int i, int tryNo, boolean icmpError, long replyNanos, long knownRttMicros) {
        if (finished || tryNo >= tries[i]) {
            return IGNORED;
        }
        boolean latest = tryNo == tries[i] - 1;
        long sentNanos = lastSentNanos[i];
        long rttMicros = !latest ? -1 : knownRttMicros >= 0 ? knownRttMicros : Math.max(0, replyNanos - sentNanos) / 1000;
        boolean timely = active[i];
        if (timely) {
            active[i] = false;
            scan.landed();
            if (latest) {
                pace.resolved(true, sentNanos);
            }
        }
        boolean neutral = icmpError && tryNo > 0;
        if (allowance.answered(tryNo, !decided[i], icmpError)) {
            retryIfAllowanceGrew();
        }
        pace.answered(tryNo > 0, neutral, sentNanos, replyNanos);
        // A loss that sending slower does not make rarer is no congestion (see SendPace).
        scan.answered(tryNo > 0 && !pace.lossIndependentOfRate(), neutral, sentNanos, replyNanos);
        if (rttMicros >= 0 && timely) {
            rtt.sample(rttMicros);
            scan.groupRtt.sample(rttMicros);
        }
        return rttMicros;
    }

    /** The latest try of port {@code i} ended without an answer before its timeout. */
    void unanswered(int i) {
        if (active[i]) {
            active[i] = false;
            scan.landed();
            giveUpTry(i);
        }
    }

    /** The latest try of port {@code i} ended in a way that says nothing (no verdict, no timing). */
    void abandoned(int i) {
        if (active[i]) {
            active[i] = false;
            scan.landed();
        }
    }

    /**
     * Whether the host's scan is over: every port decided, or nothing left to send or wait for even
     * after the ports out of tries got what the allowance gained since they ran out (pooled loss
     * evidence from other hosts can raise it while this host idles). Ports still out of tries are
     * then the transport's to settle ({@link #pollOutOfTries()}).
     */
    boolean readyToSettle() {
        return allDecided() || (idle() && !retryIfAllowanceGrew());
    }

    /**
     * Gives the ports out of tries the tries the allowance gained since they ran out (from this
     * host's answers or, pooled, from other hosts'); true when some port goes again.
     */
    private boolean retryIfAllowanceGrew() {
        int allowed = allowance.sends();
        if (allowed <= lastAllowedSends) {
            return false;
        }
        lastAllowedSends = allowed;
        retryOutOfTries();
        return hasWork();
    }

    private void retryOutOfTries() {
        int allowed = allowance.sends();
        for (int n = outOfTries.size(); n > 0; n--) {
            int i = outOfTries.poll();
            if (decided[i]) {
                continue;
            }
            if (tries[i] < allowed) {
                retransmits.add(i);
            } else {
                outOfTries.add(i);
            }
        }
    }

    /** nmap's probeTimeout: the host's estimate, else the scan's, else the initial value. */
    long timeoutNanos() {
        RttEstimator source = rtt.hasSamples() || !scan.groupRtt.hasSamples() ? rtt : scan.groupRtt;
        return source.timeoutMicros() * 1000;
    }

    /**
     * Whether a probe's timeout or the host's deadline has passed at {@code now}. Answered probes
     * at the head of the in-flight queue are dropped on the way: they time nothing out.
     */
    boolean timeoutDue(long now) {
        if (finished) {
            return false;
        }
        if (now >= deadlineNanos) {
            return true;
        }
        long timeout = timeoutNanos();
        while (!inFlight.isEmpty()) {
            int i = inFlight.headIndex();
            if (active[i] && inFlight.headTry() == tries[i] - 1) {
                return now - inFlight.headSentNanos() >= timeout;
            }
            inFlight.removeHead();
        }
        return false;
    }

    boolean pastDeadline(long now) {
        return now >= deadlineNanos;
    }

    /** Times out the probes whose timeout passed at {@code now}: each is retried or runs out of tries. */
    void expire(long now) {
        long timeout = timeoutNanos();
        while (!inFlight.isEmpty()) {
            int i = inFlight.headIndex();
            boolean stale = !active[i] || inFlight.headTry() != tries[i] - 1;
            if (!stale && now - inFlight.headSentNanos() < timeout) {
                break;
            }
            inFlight.removeHead();
            if (stale) {
                continue;
            }
            active[i] = false;
            scan.landed();
            if (onTimeout != null) {
                onTimeout.accept(i);
            }
            giveUpTry(i);
        }
        if (pace.tick(now, timeout)) {
            // Its earlier losses were no congestion either: the window takes back what they cost.
            scan.lossIsRandom();
        }
    }

    private void giveUpTry(int i) {
        pace.resolved(false, lastSentNanos[i]);
        scan.timedOut();
        if (decided[i]) {
            return;
        }
        if (tries[i] < allowance.sends()) {
            retransmits.add(i);
        } else {
            outOfTries.add(i);
        }
    }

    /** Nothing left to send or wait for: the ports out of tries get no more. */
    boolean idle() {
        return !hasWork() && inFlight.isEmpty();
    }

    /** The next undecided port that used every try it may have, or -1. */
    int pollOutOfTries() {
        while (!outOfTries.isEmpty()) {
            int i = outOfTries.poll();
            if (!decided[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Ends this host's scan; {@code hostTimeout}: --host-timeout cut it short. */
    void finish(boolean hostTimeout) {
        finished = true;
        timedOut = hostTimeout;
        for (int i = 0; i < active.length; i++) {
            if (active[i]) {
                active[i] = false;
                scan.landed();
            }
        }
    }

    /** The earlier of {@code wake} and this host's next timeout, send time or deadline. */
    long wakeNanos(long now, long wake) {
        if (finished) {
            return wake;
        }
        if (!inFlight.isEmpty()) {
            wake = Math.min(wake, inFlight.headSentNanos() + timeoutNanos());
        }
        if (nextSendNanos > now && hasWork()) {
            wake = Math.min(wake, nextSendNanos);
        }
        return Math.min(wake, deadlineNanos);
    }

    /** Indexes into the ascending port list, shuffled unless -r asked for sequential order. */
    static int[] sendOrder(int count, boolean randomize) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        if (randomize) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = count - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }
}
