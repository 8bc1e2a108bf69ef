package io.github.jmeterportscan.spec;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/** An immutable set of TCP port numbers (0..65535), iterated in ascending order. */
public final class PortSet {
    public static final int MAX_PORT = 65535;

    private final BitSet bits;
    private final int size;
    /**
     * The ports in order, made on first use: a JMeter thread scans the same set thousands of times
     * a second, and walking 65536 bits each time would cost more than a one-port probe.
     * Every thread computes the same array (volatile publishes it whole); callers only get copies.
     */
    private volatile int[] ascending;

    private PortSet(BitSet bits) {
        this.bits = bits;
        this.size = bits.cardinality();
    }

    /** Copies the given ports; each must be in 0..65535. */
    public static PortSet of(int... ports) {
        BitSet bits = new BitSet(MAX_PORT + 1);
        for (int port : ports) {
            checkPort(port);
            bits.set(port);
        }
        return new PortSet(bits);
    }

    public static PortSet range(int first, int last) {
        checkPort(first);
        checkPort(last);
        BitSet bits = new BitSet(MAX_PORT + 1);
        bits.set(first, last + 1);
        return new PortSet(bits);
    }

    public static PortSet fromBits(BitSet source) {
        if (source.length() > MAX_PORT + 1) {
            throw new IllegalArgumentException("port above " + MAX_PORT);
        }
        return new PortSet((BitSet) source.clone());
    }

    private static void checkPort(int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int port) {
        return port >= 0 && port <= MAX_PORT && bits.get(port);
    }

    public PortSet minus(PortSet other) {
        BitSet copy = (BitSet) bits.clone();
        copy.andNot(other.bits);
        return new PortSet(copy);
    }

    public PortSet union(PortSet other) {
        BitSet copy = (BitSet) bits.clone();
        copy.or(other.bits);
        return new PortSet(copy);
    }

    public IntStream stream() {
        return bits.stream();
    }

    /** The ports in ascending order, as a fresh array the caller may shuffle. */
    public int[] toArray() {
        int[] ports = ascending;
        if (ports == null) {
            ports = new int[size];
            for (int i = 0, port = bits.nextSetBit(0); port >= 0; port = bits.nextSetBit(port + 1)) {
                ports[i++] = port;
            }
            ascending = ports;
        }
        return ports.clone();
    }

    public BitSet toBitSet() {
        return (BitSet) bits.clone();
    }

    /** Compact nmap range notation ("22,80,100-200"), as in XML {@code scaninfo/@services}. */
    public String toRangeString() {
        StringBuilder out = new StringBuilder();
        int start = bits.nextSetBit(0);
        while (start >= 0) {
            int end = bits.nextClearBit(start) - 1;
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(start);
            if (end > start) {
                out.append('-').append(end);
            }
            start = bits.nextSetBit(end + 1);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet other && other.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    @Override
    public String toString() {
        return toRangeString();
    }

    /** For tests and diagnostics. */
    public static PortSet parseRanges(String ranges) {
        BitSet out = new BitSet();
        Arrays.stream(ranges.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(part -> {
            int dash = part.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
            out.set(lo, hi + 1);
        });
        return fromBits(out);
    }
}
