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
    boolean asksNeighbours(int host);

    /** Opens what sending to {@code host} needs (route, link, capture), so that the send itself can be timed. */
    default void prepare(int host) {
    }

    /**
     * Sends try {@code tryNo} (0 first) of every probe of host {@code host}. A host that cannot be
     * reached at all (no route, no link) is not an error: it stays without answer.
     */
    void send(int host, int tryNo);

    /**
     * When probe {@code probe} of host {@code host} was last sent: the {@link System#nanoTime()}
     * just before its send call (on a veth the answer can be captured before the call returns),
     * or -1 when it never was.
     */
    long sentNanos(int host, int probe);

    /** Waits at most {@code maxNanos} for answers and hands each one that arrived to {@code sink}. */
    void awaitAnswers(long maxNanos, Consumer<PingAnswer> sink) throws InterruptedException;

    @Override
    void close();
}
