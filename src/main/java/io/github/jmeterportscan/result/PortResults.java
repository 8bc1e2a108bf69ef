package io.github.jmeterportscan.result;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An immutable list of port verdicts kept as columns of primitives, one {@link PortResult} made
 * per {@link #get}. A -p- scan of 16 hosts holds a million verdicts: as columns they take 11
 * bytes each and one copy of the arrays, where objects would fill the heap and make a loopback
 * scan spend its time allocating and copying them.
 */
public final class PortResults extends AbstractList<PortResult> implements RandomAccess {
    private static final PortState[] STATES = PortState.values();
    private static final Reason[] REASONS = Reason.values();

    private final int[] ports;
    private final byte[] states;
    private final byte[] reasons;
    private final byte[] ttls;
    private final int[] rttMicros;

    private PortResults(int[] ports, byte[] states, byte[] reasons, byte[] ttls, int[] rttMicros) {
        this.ports = ports;
        this.states = states;
        this.reasons = reasons;
        this.ttls = ttls;
        this.rttMicros = rttMicros;
    }

    @Override
    public PortResult get(int index) {
        return new PortResult(ports[index], STATES[states[index]], REASONS[reasons[index]], ttls[index] & 0xff,
                rttMicros[index]);
    }

    @Override
    public int size() {
        return ports.length;
    }

    /** Collects verdicts in the order they are added; used by one thread, then built once. */
    public static final class Builder {
        private int[] ports;
        private byte[] states;
        private byte[] reasons;
        private byte[] ttls;
        private int[] rttMicros;
        private int size;

        /** @param expected how many verdicts will be added (more are taken, at the cost of a copy) */
        public Builder(int expected) {
            int capacity = Math.max(1, expected);
            ports = new int[capacity];
            states = new byte[capacity];
            reasons = new byte[capacity];
            ttls = new byte[capacity];
            rttMicros = new int[capacity];
        }

        /**
         * @param reasonTtl the deciding reply's TTL or hop limit, 0-255
         * @param rttMicros the round trip in microseconds (capped at {@link Integer#MAX_VALUE}), or
         *                  {@link PortResult#NO_RTT}
         */
        public Builder add(int port, PortState state, Reason reason, int reasonTtl, long rttMicros) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (reasonTtl < 0 || reasonTtl > 255) {
                throw new IllegalArgumentException("TTL out of range: " + reasonTtl);
            }
            if (size == ports.length) {
                grow();
            }
            ports[size] = port;
            states[size] = (byte) state.ordinal();
            reasons[size] = (byte) reason.ordinal();
            ttls[size] = (byte) reasonTtl;
            this.rttMicros[size] = rttMicros < 0 ? (int) PortResult.NO_RTT : (int) Math.min(Integer.MAX_VALUE, rttMicros);
            size++;
            return this;
        }

        private void grow() {
            int capacity = ports.length * 2;
            ports = Arrays.copyOf(ports, capacity);
            states = Arrays.copyOf(states, capacity);
            reasons = Arrays.copyOf(reasons, capacity);
            ttls = Arrays.copyOf(ttls, capacity);
            rttMicros = Arrays.copyOf(rttMicros, capacity);
        }

        /** The verdicts added so far; the builder may go on and build again. */
        public PortResults build() {
            return new PortResults(Arrays.copyOf(ports, size), Arrays.copyOf(states, size),
                    Arrays.copyOf(reasons, size), Arrays.copyOf(ttls, size), Arrays.copyOf(rttMicros, size));
        }
    }
}
