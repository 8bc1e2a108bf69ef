package io.github.jmeterportscan.scan;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The scan loop's inbox: validated replies as primitives in preallocated arrays, so that the
 * capture thread allocates nothing per reply (a record plus a queue node per reply was about
 * 60 bytes of garbage each, a million replies in a 16-host -p- scan).
 *
 * <p>Several producers (one capture thread per interface may serve one scan), one consumer (the
 * scan loop). A bounded multi-producer queue after Vyukov: each slot carries a sequence number;
 * a producer claims a position by CAS on the tail, writes the fields, then publishes the slot by
 * setting its sequence to position + 1; the consumer reads a slot only once it is published.
 *
 * <p>A reply is never dropped: when the ring is full (the loop has fallen far behind), the reply
 * goes to an unbounded overflow queue, which allocates, but only then. Replies are independent of
 * each other, so the order between ring and overflow does not matter.
 */
final class ReplyRing {
    /** More than the largest congestion window (8192), so a full window of answers fits. */
    static final int MAX_CAPACITY = 16_384;
    /** A one-port scan gets a few replies at most (SYN-ACK retransmissions); more go to the overflow. */
    private static final int MIN_CAPACITY = 16;

    private final int mask;
    private final AtomicLongArray sequence;
    private final int[] hosts;
    /** port | try << 16 */
    private final int[] portTry;
    /** PortState ordinal << 8 | Reason ordinal */
    private final short[] verdicts;
    private final byte[] ttls;
    private final long[] nanos;
    private final AtomicLong tail = new AtomicLong();
    /** Consumer-only. */
    private long head;
    private final ConcurrentLinkedQueue<long[]> overflow = new ConcurrentLinkedQueue<>();

    /**
     * A ring for a scan of {@code probes} port-host pairs: no bigger than twice that (so that a
     * JMeter thread scanning one port per sample does not build a full-size ring per sample), no
     * bigger than {@link #MAX_CAPACITY}. Too small is safe: the overflow takes the rest.
     */
    static int capacityFor(long probes) {
        long wanted = Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, probes * 2));
        return Integer.highestOneBit((int) (wanted - 1)) << 1;
    }

    ReplyRing(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.mask = capacity - 1;
        this.sequence = new AtomicLongArray(capacity);
        // Plain writes: the ring reaches other threads through a final field of its scan.
        for (int i = 0; i < capacity; i++) {
            sequence.setPlain(i, i);
        }
        this.hosts = new int[capacity];
        this.portTry = new int[capacity];
        this.verdicts = new short[capacity];
        this.ttls = new byte[capacity];
        this.nanos = new long[capacity];
    }

    /** Receives one reply from the ring; see {@link #drain}. */
    @FunctionalInterface
    interface Consumer {
        void accept(int host, int port, int tryNo, int state, int reason, int ttl, long nanos);
    }

    /** The state field of an entry that records when a probe left ({@link #addSent}), not a reply. */
    static final int SENT = 0x7f;

    /** Queues the wire time of a probe seen leaving; safe from any number of threads at once. */
    void addSent(int host, int port, int tryNo, long sentNanos) {
        add(host, port, tryNo, SENT, 0, 0, sentNanos);
    }

    /** Queues one reply; safe from any number of threads at once. */
    void add(int host, int port, int tryNo, int state, int reason, int ttl, long replyNanos) {
        int packed = (port & 0xffff) | (tryNo & 0xff) << 16;
        short verdict = (short) ((state & 0xff) << 8 | (reason & 0xff));
        while (true) {
            long pos = tail.get();
            int slot = (int) pos & mask;
            long seq = sequence.get(slot);
            if (seq == pos) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    hosts[slot] = host;
                    portTry[slot] = packed;
                    verdicts[slot] = verdict;
                    ttls[slot] = (byte) ttl;
                    nanos[slot] = replyNanos;
                    // A volatile write, not lazySet: besides publishing the fields it must be ordered
                    // before the producer's read of the loop's "sleeping" flag, or a wake-up is missed.
                    sequence.set(slot, pos + 1);
                    return;
                }
            } else if (seq < pos) {
                // Full: the slot still holds an entry from one lap ago.
                overflow.add(new long[] {host, packed, verdict, ttl, replyNanos});
                return;
            }
            // seq > pos: another producer took this position; read the tail again.
        }
    }

    /** True when nothing is queued (exact for the consumer's own view; producers may be mid-add). */
    boolean isEmpty() {
        return sequence.get((int) head & mask) != head + 1 && overflow.isEmpty();
    }

    /** Hands every queued reply to {@code consumer}; consumer thread only. Returns how many. */
    int drain(Consumer consumer) {
        int count = 0;
        while (true) {
            int slot = (int) head & mask;
            if (sequence.get(slot) != head + 1) {
                break;
            }
            int packed = portTry[slot];
            int verdict = verdicts[slot];
            int host = hosts[slot];
            int ttl = ttls[slot] & 0xff;
            long replyNanos = nanos[slot];
            // Free the slot for the producer one lap ahead before handling the reply.
            sequence.lazySet(slot, head + mask + 1);
            head++;
            count++;
            consumer.accept(host, packed & 0xffff, packed >>> 16, verdict >>> 8, verdict & 0xff, ttl, replyNanos);
        }
        long[] spilled;
        while ((spilled = overflow.poll()) != null) {
            int packed = (int) spilled[1];
            int verdict = (int) spilled[2];
            count++;
            consumer.accept((int) spilled[0], packed & 0xffff, packed >>> 16, verdict >>> 8, verdict & 0xff,
                    (int) spilled[3] & 0xff, spilled[4]);
        }
        return count;
    }
}
