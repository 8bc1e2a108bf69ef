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
    int maxSuccessfulTry;
    /** Ports decided by an answer to their first try, and by an answer to a retry. */
    int answeredFirstTry;
    int answeredLater;
    /** The try allowance when parked ports were last given more tries. */
    int lastAllowedSends;
    long nextSendNanos;
    final long startMillis = System.currentTimeMillis();
    long endMillis;
    final long deadlineNanos;
    boolean timedOut;
    boolean finished;

    RawHostScan(Target target, PacketLink link, ProbeTemplate template, int[] ascendingPorts, int[] sendOrder,
            Timing timing, long startNanos) {
        this.target = target;
        this.link = link;
        this.template = template;
        this.targetHi = AddressBits.hi(target.address());
        this.targetLo = AddressBits.lo(target.address());
        this.sourceHi = AddressBits.hi(link.sourceAddress());
        this.sourceLo = AddressBits.lo(link.sourceAddress());
        this.rtt = new RttEstimator(timing);
        this.ports = ascendingPorts;
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

    int indexOf(int port) {
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

    HostResult toResult() {
        PortResults.Builder results = new PortResults.Builder(decided);
        for (int i = 0; i < ports.length; i++) {
            if (state[i] != 0) {
                results.add(ports[i], STATES[state[i] - 1], REASONS[reason[i]], ttl[i] & 0xff, rttMicros[i]);
            }
        }
        return new HostResult(target, results.build(), startMillis, endMillis, timedOut, rtt.times(),
                link.destinationMacAddress());
    }

    /** A growable FIFO of ints (port indexes), allocation-free once warmed up. */
    static final class IntQueue {
        private int[] items = new int[8];
        private int head;
        private int size;

        void add(int value) {
            if (size == items.length) {
                int[] bigger = new int[items.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = items[(head + i) % items.length];
                }
                items = bigger;
                head = 0;
            }
            items[(head + size) % items.length] = value;
            size++;
        }

        int poll() {
            int value = items[head];
            head = (head + 1) % items.length;
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

    /** Probes on the wire in send order: (port index, try number, send time). */
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
            int slot = (head + size) % indexes.length;
            indexes[slot] = index;
            tryNos[slot] = tryNo;
            sentNanos[slot] = nanos;
            size++;
        }

        private void grow() {
            int n = indexes.length;
            int[] i2 = new int[n * 2];
            int[] t2 = new int[n * 2];
            long[] s2 = new long[n * 2];
            for (int i = 0; i < size; i++) {
                int slot = (head + i) % n;
                i2[i] = indexes[slot];
                t2[i] = tryNos[slot];
                s2[i] = sentNanos[slot];
            }
            indexes = i2;
            tryNos = t2;
            sentNanos = s2;
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
            head = (head + 1) % indexes.length;
            size--;
        }
    }
}
