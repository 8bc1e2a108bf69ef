package io.github.jmeterportscan.scan;

/**
 * Finds a host's index from its address (as two longs) without allocating: an open-addressing
 * table filled once before the capture starts, then only read (safe to share with the capture
 * thread after safe publication).
 */
final class AddressIndex {
    private final long[] his;
    private final long[] los;
    private final int[] values;
    private final int mask;

    AddressIndex(long[] hiByIndex, long[] loByIndex) {
        int capacity = Integer.highestOneBit(Math.max(4, hiByIndex.length * 2) - 1) << 1;
        this.his = new long[capacity];
        this.los = new long[capacity];
        this.values = new int[capacity];
        this.mask = capacity - 1;
        java.util.Arrays.fill(values, -1);
        for (int i = 0; i < hiByIndex.length; i++) {
            int slot = slot(hiByIndex[i], loByIndex[i]);
            while (values[slot] >= 0 && !(his[slot] == hiByIndex[i] && los[slot] == loByIndex[i])) {
                slot = (slot + 1) & mask;
            }
            if (values[slot] < 0) {   // a duplicate target keeps its first index
                his[slot] = hiByIndex[i];
                los[slot] = loByIndex[i];
                values[slot] = i;
            }
        }
    }

    /** The index given for this address, or -1. */
    int find(long hi, long lo) {
        int slot = slot(hi, lo);
        while (true) {
            int value = values[slot];
            if (value < 0 || (his[slot] == hi && los[slot] == lo)) {
                return value;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int slot(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h >>> 40) & mask;
    }
}
