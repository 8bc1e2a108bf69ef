package io.github.jmeterportscan.link;

import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the threads that packet handlers want woken, but only once the capture's reader lock is
 * released. Waking a thread is a system call that may hand this CPU to the woken thread at once;
 * made while the lock is held, it would leave every other thread unable to read the capture
 * until the preempted reader runs again. Outside a capture read, {@link #unpark} wakes at once.
 */
public final class ReaderWakeups {
    private static final int MAX_DEFERRED = 64;
    private static final ThreadLocal<ReaderWakeups> CURRENT = ThreadLocal.withInitial(ReaderWakeups::new);

    private final Thread[] deferred = new Thread[MAX_DEFERRED];
    private int count;
    private boolean reading;

    private ReaderWakeups() {
    }

    /** Wakes {@code thread} now, or when the calling thread's capture read ends. */
    public static void unpark(Thread thread) {
        ReaderWakeups wakeups = CURRENT.get();
        if (!wakeups.reading || !wakeups.defer(thread)) {
            LockSupport.unpark(thread);
        }
    }

    /** The calling thread's list; the capture fetches it before it takes its reader lock. */
    static ReaderWakeups current() {
        return CURRENT.get();
    }

    /** Called by the capture just after taking its reader lock. */
    void beginRead() {
        reading = true;
    }

    /** Called by the capture just after releasing its reader lock: the deferred wakes happen now. */
    void endRead() {
        reading = false;
        for (int i = 0; i < count; i++) {
            LockSupport.unpark(deferred[i]);
            deferred[i] = null;
        }
        count = 0;
    }

    private boolean defer(Thread thread) {
        for (int i = 0; i < count; i++) {
            if (deferred[i] == thread) {
                return true;
            }
        }
        if (count == MAX_DEFERRED) {
            return false;
        }
        deferred[count++] = thread;
        return true;
    }
}
