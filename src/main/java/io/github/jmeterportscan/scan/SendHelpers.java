package io.github.jmeterportscan.scan;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon threads, one per core beyond the first (at most {@link #MAX_HELPERS}), that send entries
 * of a {@link SendBatch} alongside its scan loop. They are shared by every scan in the
 * JVM and only ever claimed when idle: a scan that finds them busy (another scan, a JMeter
 * thread) sends on its own thread, so no scan waits for another.
 *
 * <p>A helper spins briefly after each batch before it parks, because the scan loop comes back
 * with its next batch within microseconds while a full scan runs, and waking a parked thread
 * takes longer than sending a batch.
 */
final class SendHelpers {
    private static final int MAX_HELPERS = 3;
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** A helper has at most one send in hand when the owner waits, ~10 ms at worst (ENOBUFS back-off). */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final SendHelpers SHARED = new SendHelpers(
            Math.min(MAX_HELPERS, Runtime.getRuntime().availableProcessors() - 1));

    private final Helper[] helpers;

    SendHelpers(int count) {
        helpers = new Helper[Math.max(0, count)];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper("portscan-send-" + (i + 1));
        }
    }

    static SendHelpers shared() {
        return SHARED;
    }

    int count() {
        return helpers.length;
    }

    /** An idle helper, now reserved for the caller, or null when all are busy. */
    Helper tryClaim() {
        for (Helper helper : helpers) {
            if (helper.tryClaim()) {
                return helper;
            }
        }
        return null;
    }

    /**
     * One sending thread; started the first time it is claimed. Its state moves IDLE -> CLAIMED
     * (an owner reserved it) -> POSTED (a batch is ready) -> RUNNING (the helper took it) -> DONE,
     * and back to IDLE by the owner. An owner that finds its batch sent before the helper woke
     * takes the post back (POSTED -> IDLE) instead of waiting for it.
     */
    static final class Helper {
        private static final int IDLE = 0;
        private static final int CLAIMED = 1;
        private static final int POSTED = 2;
        private static final int RUNNING = 3;
        private static final int DONE = 4;

        private final String name;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private Thread thread;
        /** Written by the owner before POSTED, read by the helper after it saw POSTED. */
        private Thread owner;
        private SendBatch batch;

        private Helper(String name) {
            this.name = name;
        }

        boolean tryClaim() {
            return state.compareAndSet(IDLE, CLAIMED);
        }

        /** Lets the helper share the sending of {@code batch}; only its claimer calls this. */
        void start(SendBatch batch) {
            this.owner = Thread.currentThread();
            this.batch = batch;
            state.set(POSTED);
            if (thread == null) {
                thread = new Thread(this::run, name);
                thread.setDaemon(true);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        }

        /**
         * Called by the owner once it found no entry left: takes the batch back if the helper has not
         * begun, else waits for the one send the helper may still have in hand, then releases the
         * helper. Not interruptible: the batch must not be reused while the helper can read it.
         */
        void finish() throws ScanException {
            if (!state.compareAndSet(POSTED, IDLE)) {
                long start = System.nanoTime();
                while (state.get() != DONE) {
                    long waited = System.nanoTime() - start;
                    if (waited > MAX_WAIT_NANOS) {
                        // The helper keeps its claim: it is stuck inside a send and must not be
                        // handed another batch. The scan cannot go on without knowing what was sent.
                        throw new ScanException(name + " did not finish sending within "
                                + TimeUnit.NANOSECONDS.toSeconds(MAX_WAIT_NANOS) + " s");
                    }
                    if (waited < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(this, SPIN_NANOS);
                    }
                }
                state.set(IDLE);
            }
            // batch and owner are left as they are: once the state is IDLE another scan may claim
            // this helper and set them, and nulling them here could undo that.
        }

        private void run() {
            while (true) {
                awaitPost();
                if (!state.compareAndSet(POSTED, RUNNING)) {
                    continue; // the owner sent everything before we woke and took the post back
                }
                Thread waiting = owner;
                try {
                    batch.sendShare();
                } finally {
                    // Also after an Error, so that the owner is not left waiting (posts to a helper
                    // that died are taken back by their owners: they are never RUNNING).
                    state.set(DONE);
                    LockSupport.unpark(waiting);
                }
            }
        }

        private void awaitPost() {
            long start = System.nanoTime();
            while (state.get() != POSTED) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
