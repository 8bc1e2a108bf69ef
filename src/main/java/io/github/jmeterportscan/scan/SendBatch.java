package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.PacketLink;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes the scan loop has chosen, sent together once it is done choosing. On loopback and veth
 * links the target's answer is built inside our own send call (the kernel delivers the SYN and
 * sends the RST in that system call), so a scan sent by one thread is bound by one core; a batch
 * big enough is shared with idle {@link SendHelpers} on the other cores.
 *
 * <p>Owned by the scan loop thread. Helpers touch a batch only between {@code start} and
 * {@code finish} of their {@link SendHelpers.Helper}, which the owner calls from {@link #send}.
 */
final class SendBatch {
    static final int CAPACITY = 64;
    /** Entries per thread below which waking a helper costs more than its share saves. */
    static final int MIN_SHARE = 8;

    private final int capacity;
    private final PacketLink[] links;
    private final byte[][] datagrams;
    private final int[] lengths;
    private final int[] hostIndexes;
    private final int[] ports;
    private final IOException[] failures;
    /** The next entry to send, taken by whichever thread is free. */
    private final AtomicInteger next = new AtomicInteger();
    private final SendHelpers helpers;
    private final SendHelpers.Helper[] claimed;
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
    }

    /**
     * Sends every queued datagram and waits until all have been handed to the kernel. Failures are
     * recorded per entry ({@link #failure}), not thrown, so the caller can count them in order.
     *
     * <p>This thread and the helpers it could claim take entries one at a time from a shared
     * counter, so a helper that wakes late (or not at all, on a busy machine) just sends fewer: the
     * caller never waits for a helper's share, only for the one send a helper may have in hand.
     */
    void send() throws ScanException {
        next.set(0);
        int helpersUsed = 0;
        if (size >= 2 * MIN_SHARE) {
            int wanted = Math.min(claimed.length, size / MIN_SHARE - 1);
            while (helpersUsed < wanted) {
                SendHelpers.Helper helper = helpers.tryClaim();
                if (helper == null) {
                    break;
                }
                claimed[helpersUsed++] = helper;
                helper.start(this);
            }
        }
        sendShare();
        for (int h = 0; h < helpersUsed; h++) {
            claimed[h].finish();
            claimed[h] = null;
        }
    }

    /** Sends entries until none is left; run by the owner and by each helper at the same time. */
    void sendShare() {
        for (int k = next.getAndIncrement(); k < size; k = next.getAndIncrement()) {
            try {
                links[k].send(datagrams[k], 0, lengths[k]);
            } catch (IOException e) {
                failures[k] = e;
            } catch (RuntimeException e) {
                // Kept as a send failure so that a helper thread never dies of it.
                failures[k] = new IOException(String.valueOf(e), e);
            }
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

    /** Forgets the entries; their links are released for the garbage collector. */
    void clear() {
        for (int k = 0; k < size; k++) {
            links[k] = null;
        }
        size = 0;
    }
}
