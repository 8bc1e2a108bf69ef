package io.github.jmeterportscan.discovery;

import java.util.function.Consumer;

/**
 * One way of asking hosts whether they are up (raw packets, TCP connects). A pinger sends and
 * collects; when to send, how often and how long to wait is {@link PingRounds}'s business. Used
 * by one thread.
 */
public interface Pinger extends AutoCloseable {
    /** How many hosts this pinger addresses (indexes 0 .. hosts() - 1). */
    int hosts();

    /** Whether host {@code host} is asked on its own network (ARP, ND), which answers within nmap's shorter timeout. */
    default boolean asksNeighbours(int host) {
        return false;
    }

    /** Opens what sending to {@code host} needs (route, link, capture), so that the send itself can be timed. */
    default void prepare(int host) {
    }

    /**
     * Sends try {@code tryNo} (0 first) of every probe of host {@code host}. A host that cannot be
     * reached at all (no route, no link) is not an error: it stays without answer.
     */
    void send(int host, int tryNo);

    /**
     * When probe {@code probe} of host {@code host} last left, as near the wire as this side can
     * tell, for an answer captured at {@code answerWireNanos}: the {@link System#nanoTime()} after
     * its send call returned, or the one before the call when the answer was captured while the
     * call was still running (on a veth the peer answers within the call); -1 when never sent.
     */
    long sentNanos(int host, int probe, long answerWireNanos);

    /** The anchor {@link #sentNanos} gives, from the times around one send call. */
    static long anchor(long before, long after, long answerWireNanos) {
        if (before < 0) {
            return -1;
        }
        return answerWireNanos >= after ? after : before;
    }

    /** Waits at most {@code maxNanos} for answers and hands each one that arrived to {@code sink}. */
    void awaitAnswers(long maxNanos, Consumer<PingAnswer> sink) throws InterruptedException;

    @Override
    void close();
}
