package io.github.jmeterportscan.link;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * Who reads a capture's ring, and when. The handle is non-blocking, and whichever thread holds the
 * reader lock hands the ring's packets to the handlers. Scans read for themselves before they
 * sleep ({@link CaptureWaitProtocol}); the capture's own thread waits on the socket (without the lock)
 * and reads what nobody else did. Every packet that arrives while that thread sleeps in poll costs
 * the sending thread a wake-up, so it naps instead while scans are reading for themselves, and a
 * scan that is about to sleep ends the nap. Changing the filter takes the reader lock, so no read
 * is ever under way meanwhile; packets that arrive meanwhile wait in the ring.
 */
final class CaptureRing implements CaptureWaitProtocol {
    /** The longest wait in poll: how often, at least, the receive thread does its housekeeping. */
    private static final int POLL_MILLIS = 100;
    /** Nap after a non-empty batch; see {@link #receive}. */
    private static final long COALESCE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Smallest batch that shows packets arriving faster than the thread wakes; see {@link #receive}. */
    private static final int COALESCE_MIN_BATCH = 2;
    /** How long a scan that wants to read waits for another reader to finish. */
    private static final long BUSY_READER_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    /** Nap while no scan sleeps waiting for replies; a scan that is about to sleep ends it. */
    private static final long OTHERS_READING_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** More batches than the ring can hold: see {@link #catchUp()}. */
    private static final int MAX_CATCH_UP_BATCHES = 2 * Capture.BUFFER_BYTES / Capture.BATCH_BYTES;

    private final PcapDirect reader;
    private final ReadinessWait readiness;
    private final PcapDirect.FrameSink sink;
    private final Consumer<String> onReadError;
    private final Thread receiver;
    /** Held while reading the ring or changing the filter: libpcap's handle is not thread-safe. */
    private final ReentrantLock readerLock = new ReentrantLock();
    private boolean readingClosed; // guarded by readerLock
    private volatile boolean failed;
    /** Scans asleep until a reply wakes them: while there are any, the receive thread watches. */
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile boolean napping;

    /**
     * @param onReadError called once a read fails (interface down or gone): the capture ends
     * @param receiver the capture's own thread, which runs {@link #receive}
     */
    CaptureRing(PcapDirect reader, ReadinessWait readiness, PcapDirect.FrameSink sink, Consumer<String> onReadError,
            Thread receiver) {
        this.reader = reader;
        this.readiness = readiness;
        this.sink = sink;
        this.onReadError = onReadError;
        this.receiver = receiver;
    }

    @Override
    public void readPending() {
        readSoon();
    }

    @Override
    public void catchUp() throws InterruptedException {
        ReaderWakeups wakeups = ReaderWakeups.current();
        readerLock.lockInterruptibly();
        wakeups.beginRead();
        try {
            // A full batch may have left packets behind; a short one emptied the ring. The ring
            // holds fewer than MAX_CATCH_UP_BATCHES batches, so the loop ends even when packets
            // keep arriving as fast as they are read.
            for (int batches = 0; batches < MAX_CATCH_UP_BATCHES; batches++) {
                if (readLocked() < reader.maxPerBatch()) {
                    return;
                }
            }
        } finally {
            readerLock.unlock();
            wakeups.endRead();
        }
    }

    @Override
    public void waiterArrived() {
        waiters.incrementAndGet();
        if (napping) {
            LockSupport.unpark(receiver);
        }
    }

    @Override
    public void waiterLeft() {
        waiters.decrementAndGet();
    }

    /**
     * Replaces the filter between two reads.
     *
     * @return false when reading has closed, so there is no filter to replace
     */
    boolean setFilter(String expression) throws PcapNativeException {
        readerLock.lock();
        try {
            if (readingClosed) {
                return false;
            }
            reader.setFilter(expression);
            return true;
        } finally {
            readerLock.unlock();
        }
    }

    /** Ends a wait in poll, so the receive thread sees that the capture stops. */
    void wake() {
        readiness.wake();
    }

    /** Closes the ring and the handle between two reads; later reads hand nothing over. */
    void close(PcapHandle handle) {
        readerLock.lock();
        try {
            readingClosed = true;
            readiness.close();
            reader.close();
            handle.close();
        } finally {
            readerLock.unlock();
        }
    }

    /**
     * The receive thread's loop: reads what no scan reads for itself, until {@code stopped}. While
     * no scan sleeps waiting for a reply, scans read their replies themselves, and a reader in poll
     * would only race them for each packet and cost the sender a wake-up per packet: the thread
     * then naps, reading once per nap for anyone who never sleeps here (neighbour resolution, a
     * scan busy sending), until a scan is about to sleep. While scans sleep, it waits in poll and
     * hands their replies over. After a batch it naps briefly instead of polling again, which
     * delays a reply far less than the smallest probe timeout; a batch of one packet, though,
     * means nothing else was waiting, and napping then would only delay the next reply, so that
     * nap follows batches of at least {@link #COALESCE_MIN_BATCH} only.
     *
     * @param housekeeping runs after every read of this thread (counters, clock)
     */
    void receive(BooleanSupplier stopped, Runnable housekeeping) {
        while (!stopped.getAsBoolean()) {
            if (waiters.get() == 0) {
                napWhileOthersRead(stopped);
                if (waiters.get() == 0) {
                    readIfFree();
                    housekeeping.run();
                    continue;
                }
            }
            int seen = readiness.await(POLL_MILLIS);
            if (stopped.getAsBoolean()) {
                return;
            }
            int count = readIfFree();
            housekeeping.run();
            if (count < 0) {
                // Another thread is reading: poll would report the same packets at once, again.
                LockSupport.parkNanos(this, BUSY_READER_SPIN_NANOS);
            } else if (count >= COALESCE_MIN_BATCH) {
                LockSupport.parkNanos(this, COALESCE_NANOS);
            } else if (count == 0 && (seen & ReadinessWait.SOCKET_ERROR) != 0) {
                // An error that libpcap did not report would wake the thread at once, forever.
                LockSupport.parkNanos(this, COALESCE_NANOS);
            }
        }
    }

    /**
     * Reads the ring once, on any thread holding the reader lock. A read error ends the capture.
     *
     * @return packets handed over
     */
    private int readLocked() {
        if (readingClosed || failed) {
            return 0;
        }
        try {
            return reader.dispatch(sink);
        } catch (PcapNativeException e) {
            failed = true;
            onReadError.accept(e.getMessage());
        } catch (InterruptedException e) {
            // pcap_breakloop, which nothing here calls: ignore it.
        }
        return 0;
    }

    /** Reads the ring unless another thread is at it; returns the packets handed over, or -1. */
    private int readIfFree() {
        // Looked up before the lock is taken: a thread's first read creates its wake-up list,
        // and nothing is allocated while every other reader waits.
        ReaderWakeups wakeups = ReaderWakeups.current();
        if (!readerLock.tryLock()) {
            return -1;
        }
        wakeups.beginRead();
        try {
            return readLocked();
        } finally {
            readerLock.unlock();
            wakeups.endRead();
        }
    }

    /**
     * As {@link #readIfFree}, but a reader at work on the other core is waited for (it is done
     * within microseconds, and the caller's reply may be among the packets it hands over); one
     * preempted while holding the lock gets this core once.
     */
    private void readSoon() {
        if (readIfFree() >= 0) {
            return;
        }
        long deadline = System.nanoTime() + BUSY_READER_SPIN_NANOS;
        while (readerLock.isLocked() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (readIfFree() >= 0) {
            return;
        }
        Thread.yield();
        readIfFree();
    }

    private void napWhileOthersRead(BooleanSupplier stopped) {
        napping = true;
        try {
            if (waiters.get() == 0 && !stopped.getAsBoolean()) {
                LockSupport.parkNanos(this, OTHERS_READING_NANOS);
            }
        } finally {
            napping = false;
        }
    }
}
