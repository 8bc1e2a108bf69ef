package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.PacketLink;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes the scan loop has chosen, on their way out. On loopback and veth links the target's
 * answer is built inside our own send call (the kernel delivers the SYN and sends the RST in that
 * system call), so a scan sent by one thread is bound by one core. Here idle {@link SendHelpers}
 * on the other cores send entries as soon as the loop publishes them, while the loop goes on
 * choosing and building the next probes; once it is done choosing ({@link #send}), the loop
 * sends what is left alongside them. All take entries one at a time from one counter.
 *
 * <p>Owned by the scan loop thread. Helpers touch a batch only between {@code start} and
 * {@code finish} of their {@link SendHelpers.Helper}, which the owner calls from {@link #add}
 * and {@link #send}.
 */
final class SendBatch {
    static final int CAPACITY = 256;
    /** Entries waiting before a helper is woken: fewer are sent sooner by the loop itself. */
    static final int MIN_SHARE = 8;
    /**
     * The most entries one thread takes at once. Runs are what make a batch cheap to send (one
     * sendmmsg each), but a helper must still get its share of a batch the owner has closed.
     */
    static final int MAX_RUN = 32;

    private final int capacity;
    private final PacketLink[] links;
    private final byte[][] datagrams;
    private final int[] lengths;
    private final int[] hostIndexes;
    private final int[] ports;
    private final IOException[] failures;
    /** The next entry to send, taken by whichever thread is free. */
    private final AtomicInteger next = new AtomicInteger();
    /** Entries [0, published) are complete and may be sent; written by the owner only. */
    private volatile int published;
    /** Set by the owner when it adds no more entries until {@link #clear}. */
    private volatile boolean closed;
    private final SendHelpers helpers;
    private final SendHelpers.Helper[] claimed;
    private int helpersUsed;
    private int size;

    SendBatch(SendHelpers helpers) {
        this(helpers, CAPACITY);
    }

    /** A batch for at most {@code probes} probes in all (a one-port scan needs one slot, not 64). */
    SendBatch(SendHelpers helpers, long probes) {
        this.capacity = (int) Math.max(1, Math.min(CAPACITY, probes));
        this.links = new PacketLink[capacity];
        this.datagrams = new byte[capacity][];
        this.lengths = new int[capacity];
        this.hostIndexes = new int[capacity];
        this.ports = new int[capacity];
        this.failures = new IOException[capacity];
        this.helpers = helpers;
        this.claimed = new SendHelpers.Helper[helpers.count()];
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == capacity;
    }

    int size() {
        return size;
    }

    /** Queues a copy of {@code datagram[0, length)}; the caller may reuse its array at once. */
    void add(PacketLink link, byte[] datagram, int length, int hostIndex, int port) {
        byte[] slot = datagrams[size];
        if (slot == null || slot.length < length) {
            slot = new byte[length];
            datagrams[size] = slot;
        }
        System.arraycopy(datagram, 0, slot, 0, length);
        links[size] = link;
        lengths[size] = length;
        hostIndexes[size] = hostIndex;
        ports[size] = port;
        failures[size] = null;
        size++;
        published = size;
        if (helpersUsed < claimed.length && size - next.get() >= MIN_SHARE) {
            SendHelpers.Helper helper = helpers.tryClaim();
            if (helper != null) {
                claimed[helpersUsed++] = helper;
                helper.start(this);
            }
        }
    }

    /** Whether helpers are at work on this batch, so that the owner may do other work before {@link #send}. */
    boolean helpersAtWork() {
        return helpersUsed > 0;
    }

    /** No more entries until {@link #clear}: helpers may take the last ones. {@link #send} must still be called. */
    void close() {
        closed = true;
    }

    /**
     * Sends every entry not yet sent, alongside the helpers already at work, and waits until all
     * have been handed to the kernel. Failures are recorded per entry ({@link #failure}), not
     * thrown, so the caller can count them in order. The owner never waits for a helper's share,
     * only for the one send a helper may have in hand; a helper that never woke is taken back.
     */
    void send() throws ScanException {
        close();
        sendShare();
        ScanException failure = null;
        for (int h = 0; h < helpersUsed; h++) {
            try {
                claimed[h].finish();
            } catch (ScanException e) {
                failure = failure == null ? e : failure;
            }
            claimed[h] = null;
        }
        helpersUsed = 0;
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Sends published entries until none is left and the owner has closed the batch; run by the
     * owner (once closed) and by each helper at the same time. Each thread takes a run of up to
     * {@link #MAX_RUN} entries for one link and hands it to the link in one go (one system call
     * on a raw socket); a helper that catches up with the owner takes what is published so far,
     * or waits for the next entry: the owner publishes one every microsecond or so.
     */
    void sendShare() {
        while (true) {
            int k = next.get();
            int available = published - k;
            if (available > 0) {
                int n = sameLinkRun(k, Math.min(available, MAX_RUN));
                if (next.compareAndSet(k, k + n)) {
                    sendRun(k, n);
                }
            } else if (closed) {
                return;
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** How many entries from {@code k} on (at most {@code max}) go through the same link. */
    private int sameLinkRun(int k, int max) {
        PacketLink link = links[k];
        int n = 1;
        while (n < max && links[k + n] == link) {
            n++;
        }
        return n;
    }

    private void sendRun(int k, int n) {
        try {
            links[k].sendAll(datagrams, lengths, failures, k, n);
        } catch (RuntimeException e) {
            // Links keep failures per datagram; this is the last resort that keeps a helper
            // thread alive if one does not.
            java.util.Arrays.fill(failures, k, k + n, new IOException(String.valueOf(e), e));
        }
    }

    /** Why entry {@code k} could not be sent, or null when it was. */
    IOException failure(int k) {
        return failures[k];
    }

    int hostIndex(int k) {
        return hostIndexes[k];
    }

    int port(int k) {
        return ports[k];
    }

    /** Forgets the entries (after {@link #send}); their links are released for the garbage collector. */
    void clear() {
        for (int k = 0; k < size; k++) {
            links[k] = null;
        }
        size = 0;
        published = 0;
        next.set(0);
        closed = false;
    }
}
