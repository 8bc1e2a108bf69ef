package io.github.jmeterportscan.scan;

/**
 * The allocation-free queues a {@link HostSchedule} keeps its port indexes in: a FIFO of ports
 * waiting to be sent and the probes on the wire in send order.
 */
final class ProbeQueues {
    private ProbeQueues() {
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
     * until they reach the head (the schedule drops them there), so a -p- scan holds most of its
     * probes at once: growing copies whole arrays rather than one slot at a time.
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
