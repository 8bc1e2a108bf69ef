package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.probe.AddressBits;
import io.github.jmeterportscan.probe.ProbeTemplate;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortResults;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.util.Arrays;

/**
 * Everything the scan loop tracks for one host: per-port verdicts in flat arrays (a -p- scan of 16
 * hosts must stay small), the send order, the queue of retransmissions and the probes in flight.
 * Owned by the scan loop thread only.
 */
final class RawHostScan {
    private static final PortState[] STATES = PortState.values();
    private static final Reason[] REASONS = Reason.values();

    /** The host's position in the job's target list. */
    final int index;
    final Target target;
    final PacketLink link;
    final ProbeTemplate template;
    final long targetHi;
    final long targetLo;
    final long sourceHi;
    final long sourceLo;
    final RttEstimator rtt;

    /** Scanned ports, ascending; every per-port array below is indexed like it. */
    final int[] ports;
    /**
     * The first port when the ports are one unbroken range (-p-, 1-1000), else -1: a reply's
     * index is then a subtraction, where a binary search over 65535 ports was 5% of the loop's
     * time in a loopback -p- scan.
     */
    private final int contiguousFrom;
    private final int[] sendOrder;
    private int nextFresh;

    /** 0 = undecided, else PortState ordinal + 1. */
    private final byte[] state;
    private final byte[] reason;
    private final byte[] ttl;
    private final int[] rttMicros;
    /** How many times each port has been sent. */
    final byte[] tries;
    final long[] lastSentNanos;
    /** True while the latest transmission of a port is on the wire and not yet timed out. */
    final boolean[] active;

    final IntQueue retransmits = new IntQueue();
    /** Ports whose tries ran out at the current allowance; they get more if the allowance grows. */
    final IntQueue parked = new IntQueue();
    final InFlight inFlight = new InFlight();

    int decided;
    /** How many sends each port may have, from the answers to retransmissions. */
    final RetryAllowance allowance;
    /** The pause between this host's probes. */
    final SendPace pace;
    /** The try allowance when parked ports were last given more tries. */
    int lastAllowedSends;
    long nextSendNanos;
    final long startMillis = System.currentTimeMillis();
    long endMillis;
    final long deadlineNanos;
    boolean timedOut;
    boolean finished;
    /** The result, made once when the host finished; null before. */
    private HostResult finishedResult;

    RawHostScan(int index, Target target, PacketLink link, ProbeTemplate template, int[] ascendingPorts, int[] sendOrder,
            Timing timing, ScanLoss scanLoss, long startNanos) {
        this.index = index;
        this.target = target;
        this.link = link;
        this.template = template;
        this.targetHi = AddressBits.hi(target.address());
        this.targetLo = AddressBits.lo(target.address());
        this.sourceHi = AddressBits.hi(link.sourceAddress());
        this.sourceLo = AddressBits.lo(link.sourceAddress());
        this.rtt = new RttEstimator(timing);
        this.allowance = new RetryAllowance(timing, ascendingPorts.length, scanLoss);
        this.pace = new SendPace(timing, startNanos);
        this.ports = ascendingPorts;
        int last = ascendingPorts.length - 1;
        // Distinct and ascending: the span equals the count only when no port is missing.
        this.contiguousFrom = last >= 0 && ascendingPorts[last] - ascendingPorts[0] == last ? ascendingPorts[0] : -1;
        this.sendOrder = sendOrder;
        int n = ports.length;
        this.state = new byte[n];
        this.reason = new byte[n];
        this.ttl = new byte[n];
        this.rttMicros = new int[n];
        this.tries = new byte[n];
        this.lastSentNanos = new long[n];
        this.active = new boolean[n];
        Arrays.fill(rttMicros, -1);
        this.deadlineNanos = timing.hasHostTimeout() ? startNanos + timing.hostTimeout().toNanos() : Long.MAX_VALUE;
    }

    /** The index of {@code port} in {@link #ports}, or a negative number when it is not scanned. */
    int indexOf(int port) {
        if (contiguousFrom >= 0) {
            int index = port - contiguousFrom;
            return index >= 0 && index < ports.length ? index : -1;
        }
        return Arrays.binarySearch(ports, port);
    }

    boolean hasFresh() {
        return nextFresh < sendOrder.length;
    }

    int nextFreshIndex() {
        return sendOrder[nextFresh++];
    }

    boolean isDecided(int index) {
        return state[index] != 0;
    }

    PortState stateOf(int index) {
        return state[index] == 0 ? null : STATES[state[index] - 1];
    }

    void decide(int index, PortState newState, Reason newReason, int replyTtl, long roundTripMicros) {
        if (state[index] == 0) {
            decided++;
        }
        state[index] = (byte) (newState.ordinal() + 1);
        reason[index] = (byte) newReason.ordinal();
        ttl[index] = (byte) replyTtl;
        rttMicros[index] = (int) Math.min(Integer.MAX_VALUE, roundTripMicros);
    }

    boolean allDecided() {
        return decided == ports.length;
    }

    PortResult resultAt(int index) {
        return new PortResult(ports[index], STATES[state[index] - 1], REASONS[reason[index]], ttl[index] & 0xff,
                rttMicros[index]);
    }

    /** Makes the result of a host whose scan is done and hands it to {@code observer}. */
    void reportFinished(ScanObserver observer) {
        finishedResult = result(endMillis, false);
        observer.hostFinished(index, finishedResult);
    }

    /** The host's result: as it finished, or, when its scan had not finished, the ports decided so far. */
    HostResult toResult() {
        return finishedResult != null ? finishedResult : result(System.currentTimeMillis(), true);
    }

    private HostResult result(long end, boolean interrupted) {
        PortResults.Builder results = new PortResults.Builder(decided);
        for (int i = 0; i < ports.length; i++) {
            if (state[i] != 0) {
                results.add(ports[i], STATES[state[i] - 1], REASONS[reason[i]], ttl[i] & 0xff, rttMicros[i]);
            }
        }
        return new HostResult(target, results.build(), startMillis, end, timedOut, rtt.times(),
                link.destinationMacAddress(), interrupted);
    }

    /**
     * A growable FIFO of ints (port indexes), allocation-free once warmed up. Capacities are powers
     * of two, so a slot is an index masked, not a division.
     */
    static final class IntQueue {
        private int[] items = new int[8];
        private int head;
        private int size;

        void add(int value) {
            if (size == items.length) {
                items = unwrapped(items, items.length, head, size, new int[items.length * 2]);
                head = 0;
            }
            items[(head + size) & (items.length - 1)] = value;
            size++;
        }

        int poll() {
            int value = items[head];
            head = (head + 1) & (items.length - 1);
            size--;
            return value;
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }
    }

    /**
     * Probes on the wire in send order: (port index, try number, send time). Answered probes stay
     * until they reach the head (the loop drops them there), so a -p- scan holds most of its
     * probes at once: growing copies whole arrays, as growing one slot at a time in a loop cost a
     * loopback -p- scan 2% of its time.
     */
    static final class InFlight {
        // Grows on demand: a one-port scan (a JMeter sample) needs a few slots, not 4 KB.
        private int[] indexes = new int[8];
        private int[] tryNos = new int[8];
        private long[] sentNanos = new long[8];
        private int head;
        private int size;

        void add(int index, int tryNo, long nanos) {
            if (size == indexes.length) {
                grow();
            }
            int slot = (head + size) & (indexes.length - 1);
            indexes[slot] = index;
            tryNos[slot] = tryNo;
            sentNanos[slot] = nanos;
            size++;
        }

        private void grow() {
            int length = indexes.length;
            indexes = unwrapped(indexes, length, head, size, new int[length * 2]);
            tryNos = unwrapped(tryNos, length, head, size, new int[length * 2]);
            sentNanos = unwrapped(sentNanos, length, head, size, new long[length * 2]);
            head = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        int headIndex() {
            return indexes[head];
        }

        int headTry() {
            return tryNos[head];
        }

        long headSentNanos() {
            return sentNanos[head];
        }

        void removeHead() {
            head = (head + 1) & (indexes.length - 1);
            size--;
        }
    }

    /**
     * Copies the {@code size} items of a ring array of {@code ringLength} slots that starts at
     * {@code head} to the start of {@code out} (an empty, bigger array of the same type).
     */
    private static <A> A unwrapped(A ring, int ringLength, int head, int size, A out) {
        int first = Math.min(size, ringLength - head);
        System.arraycopy(ring, head, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        return out;
    }
}
