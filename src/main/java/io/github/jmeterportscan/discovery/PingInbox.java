package io.github.jmeterportscan.discovery;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The answers a capture thread found, waiting for the discovery thread: it waits for the first
 * and then takes every answer already there.
 */
final class PingInbox {
    private final LinkedBlockingQueue<PingAnswer> answers = new LinkedBlockingQueue<>();

    /** Called by the capture thread. */
    void add(PingAnswer answer) {
        answers.add(answer);
    }

    /** Waits at most {@code maxNanos} for an answer, then hands it and every other one there to {@code sink}. */
    void await(long maxNanos, Consumer<PingAnswer> sink) throws InterruptedException {
        PingAnswer first = maxNanos <= 0 ? answers.poll() : answers.poll(maxNanos, TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        sink.accept(first);
        for (PingAnswer next = answers.poll(); next != null; next = answers.poll()) {
            sink.accept(next);
        }
    }
}
