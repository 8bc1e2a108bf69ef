package io.github.jmeterportscan.link;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * libpcap's counters of one capture. Reading them is serialised (pcap_stats accumulates the
 * kernel's counters inside the handle, and the receive thread must not free the handle meanwhile),
 * but nobody queues for it: a caller that finds another one reading takes the counters that one is
 * about to publish, or the previous ones. After the handle closed, the last ones read stay.
 */
final class CaptureCounters {
    /** How often, at least, the receive thread refreshes the counters while the capture runs. */
    static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PcapDirect reader;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under lock, read without it. */
    private volatile CaptureStats last = CaptureStats.NONE;
    private long lastNanos; // guarded by lock
    private boolean handleClosed; // guarded by lock

    CaptureCounters(PcapDirect reader) {
        this.reader = reader;
    }

    /** The counters read now; after the handle closed, the last ones read. */
    CaptureStats now() {
        if (lock.tryLock()) {
            try {
                readLocked();
            } finally {
                lock.unlock();
            }
        }
        return last;
    }

    /**
     * The counters as last read, at most ~{@link #REFRESH_NANOS} old while the capture runs: free to
     * call, for a lower bound at the start of a scan (the counters only grow).
     */
    CaptureStats recent() {
        return last;
    }

    /** Reads the counters when they are due, and re-measures the wire clock with them. */
    void refreshIfDue() {
        if (lock.tryLock()) {
            try {
                if (System.nanoTime() - lastNanos >= REFRESH_NANOS) {
                    readLocked();
                    WireClock.remeasure();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Reads the counters one last time before the handle closes; later reads return these. */
    void readLastBeforeClose() {
        lock.lock();
        try {
            readLocked();
            handleClosed = true;
        } finally {
            lock.unlock();
        }
    }

    private void readLocked() {
        if (!handleClosed) {
            CaptureStats now = reader.stats();
            if (now != null) {
                last = now;
                lastNanos = System.nanoTime();
            }
        }
    }
}
