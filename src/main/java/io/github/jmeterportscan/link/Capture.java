package io.github.jmeterportscan.link;

import io.github.jmeterportscan.probe.DecodedPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pcap handle on one interface, shared by every link that uses the interface. Obtained and
 * released only through {@link Captures}, which counts references.
 *
 * <p>The BPF filter admits TCP, ICMP and ICMPv6 addressed to any source address a link on this
 * interface uses (plus ARP replies on Ethernet, for next-hop resolution), so the kernel drops
 * everything else before it costs us a copy.
 *
 * <p>Reading: the handle is non-blocking, and whichever thread holds {@link #readerLock} hands the
 * ring's packets to the handlers. Scans read for themselves before they sleep
 * ({@link CaptureReader}); the capture's own thread waits on the socket (without the lock) and
 * reads what nobody else did. Every packet that arrives while that thread sleeps in poll costs
 * the sending thread a wake-up, so it naps instead while scans are reading for themselves, and a
 * scan that is about to sleep ends the nap. Changing the filter takes the reader lock, so no
 * read is ever under way meanwhile; packets that arrive meanwhile wait in the ring.
 *
 * <p>The capture's thread owns the handle: it is the only one that closes it.
 */
final class Capture implements CaptureReader {
    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);

    static final int SNAPLEN = 256;
    /** 1 MB lost half of the replies of a fast scan here; 32 MB did not. */
    static final int BUFFER_BYTES = 32 << 20;
    /** Room for ~1900 frames per batch read out of the ring: more than arrive between two naps. */
    private static final int BATCH_BYTES = 512 << 10;
    /** The longest wait in poll: how often, at least, the counters are refreshed. */
    private static final int POLL_MILLIS = 100;
    private static final long STATS_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final PacketHandler[] NO_HANDLERS = new PacketHandler[0];
    /** Nap after a non-empty batch; see {@link #receive()}. */
    private static final long COALESCE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Smallest batch that shows packets arriving faster than we wake; see {@link #receive()}. */
    private static final int COALESCE_MIN_BATCH = 2;
    /** How long a scan that wants to read waits for another reader to finish. */
    private static final long BUSY_READER_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    /** Nap while no scan sleeps waiting for replies; a scan that is about to sleep ends it. */
    private static final long OTHERS_READING_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** More batches than the ring can hold: see {@link #catchUp()}. */
    private static final int MAX_CATCH_UP_BATCHES = 2 * BUFFER_BYTES / BATCH_BYTES;

    private final NetInterface netInterface;
    private final PcapHandle handle;
    private final LinkHeader linkHeader;
    private final Thread thread;
    private final Object lock = new Object();
    /**
     * Copy-on-write so that readers see it without locking; updated by compare and set, not under
     * {@link #lock}, because every scan subscribes and unsubscribes and a hundred JMeter threads
     * queued on that lock.
     */
    private final AtomicReference<PacketHandler[]> handlers = new AtomicReference<>(NO_HANDLERS);
    private volatile String failure;
    private final ReentrantLock statsLock = new ReentrantLock();
    /** Written under statsLock, read without it. */
    private volatile CaptureStats lastStats = CaptureStats.NONE;
    private long lastStatsNanos; // guarded by statsLock
    private boolean handleClosed; // guarded by statsLock
    private final AtomicLong handlerErrors = new AtomicLong();
    private final PortRoutes portRoutes = new PortRoutes();
    private final PcapDirect reader;
    private final ReadinessWait readiness;
    private final PcapDirect.FrameSink frameSink = this::dispatch;
    /** Held while reading the ring or changing the filter: libpcap's handle is not thread-safe. */
    private final ReentrantLock readerLock = new ReentrantLock();
    private boolean readingClosed; // guarded by readerLock
    /** Scans asleep until a reply wakes them: while there are any, the capture's thread watches. */
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile boolean napping;
    private volatile boolean closing;

    // Guarded by lock.
    private final Map<InetAddress, Integer> addresses = new LinkedHashMap<>();
    private int references;
    private boolean finished;

    private Capture(NetInterface netInterface, PcapHandle handle, PcapDirect reader, ReadinessWait readiness,
            LinkHeader linkHeader) {
        this.netInterface = netInterface;
        this.handle = handle;
        this.reader = reader;
        this.readiness = readiness;
        this.linkHeader = linkHeader;
        this.thread = new Thread(this::receive, "portscan-capture-" + netInterface.name());
        this.thread.setDaemon(true);
    }

    /** Opens the handle, sets a filter for {@code source} and starts the receive thread. */
    static Capture open(NetInterface netInterface, InetAddress source) throws LinkException {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(netInterface.name())
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    // Immediate mode: a reply is handed over when it arrives, not when a block
                    // fills, so measured round-trip times stay true.
                    .immediateMode(true)
                    // The kernel's stamps to the nanosecond: reply times are the wire's.
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .timeoutMillis(100)
                    .bufferSize(BUFFER_BYTES)
                    .build();
        } catch (PcapNativeException | RuntimeException e) {
            throw new LinkException("cannot capture on interface " + netInterface.name() + ": " + e.getMessage(), e);
        }
        int dlt = handle.getDlt().value();
        LinkHeader header = LinkHeader.forDlt(dlt);
        if (header == null) {
            handle.close();
            throw new LinkException("interface " + netInterface.name() + " has link type " + handle.getDlt()
                    + ", which raw scanning does not support; use -sT");
        }
        PcapDirect reader;
        ReadinessWait readiness;
        try {
            reader = PcapDirect.open(handle, SNAPLEN, BATCH_BYTES);
        } catch (LinkException e) {
            handle.close();
            throw e;
        }
        try {
            readiness = ReadinessWait.on(reader.fileDescriptor());
        } catch (LinkException e) {
            reader.close();
            handle.close();
            throw e;
        }
        // On lo every packet also arrives, our probes included: the arriving copies are enough.
        // Elsewhere our probes are seen only leaving (see CaptureFilter).
        if (netInterface.kind() != NetInterface.Kind.ETHERNET && !reader.ignoreOutgoing()) {
            LOG.debug("the kernel keeps handing outgoing packets to the capture on {}", netInterface.name());
        }
        Capture capture = new Capture(netInterface, handle, reader, readiness, header);
        capture.addresses.put(source, 1);
        capture.references = 1;
        try {
            reader.setFilter(capture.filterExpression());
        } catch (PcapNativeException e) {
            readiness.close();
            reader.close();
            handle.close();
            throw new LinkException("cannot set the capture filter on " + netInterface.name() + ": " + e.getMessage(), e);
        }
        capture.thread.start();
        return capture;
    }

    String interfaceName() {
        return netInterface.name();
    }

    LinkHeader linkHeader() {
        return linkHeader;
    }

    /** Adds one reference held for {@code source}; widens the filter if the address is new. */
    void retain(InetAddress source) throws LinkException {
        synchronized (lock) {
            if (closing || finished) {
                throw new LinkException("capture on interface " + netInterface.name() + " stopped"
                        + (failure == null ? "" : ": " + failure));
            }
            int count = addresses.getOrDefault(source, 0);
            addresses.put(source, count + 1);
            references++;
            if (count == 0) {
                try {
                    replaceFilter();
                } catch (LinkException e) {
                    addresses.remove(source);
                    references--;
                    throw e;
                }
            }
        }
    }

    /**
     * Drops one reference held for {@code source}.
     *
     * @return true when this was the last reference and the capture is now closed
     */
    boolean release(InetAddress source) {
        synchronized (lock) {
            int count = addresses.getOrDefault(source, 0);
            if (count <= 1) {
                addresses.remove(source);
            } else {
                addresses.put(source, count - 1);
            }
            references--;
            if (references > 0) {
                if (count == 1 && !finished) {
                    try {
                        replaceFilter();
                    } catch (LinkException e) {
                        // A wider filter than needed only costs a little work; keep going.
                        LOG.debug("could not narrow the capture filter on {}: {}", netInterface.name(), e.getMessage());
                    }
                }
                return false;
            }
            closing = true;
        }
        stop();
        return true;
    }

    /** True while the capture can still deliver packets. */
    boolean isAlive() {
        return failure == null && thread.isAlive();
    }

    /** Throws when the receive thread died (interface gone or down), so senders stop early. */
    void checkAlive() throws IOException {
        String why = failure;
        if (why != null) {
            throw new IOException("capture on interface " + netInterface.name() + " stopped: " + why);
        }
    }

    /**
     * Adds a handler that sees only frames to local ports [firstPort, firstPort + count) (see
     * {@link PortRoutes}); closing the result is idempotent.
     */
    PacketLink.Subscription subscribe(PacketHandler handler, int firstPort, int count) throws IOException {
        checkAlive();
        portRoutes.add(handler, firstPort, count);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                portRoutes.remove(handler, firstPort, count);
            }
        };
    }

    /** Adds a handler that sees every frame passing the filter; closing the result is idempotent. */
    PacketLink.Subscription subscribe(PacketHandler handler) throws IOException {
        checkAlive();
        handlers.updateAndGet(current -> {
            PacketHandler[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = handler;
            return next;
        });
        return () -> unsubscribe(handler);
    }

    private void unsubscribe(PacketHandler handler) {
        handlers.updateAndGet(current -> {
            for (int i = 0; i < current.length; i++) {
                if (current[i] == handler) {
                    PacketHandler[] next = new PacketHandler[current.length - 1];
                    System.arraycopy(current, 0, next, 0, i);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    return next;
                }
            }
            return current;
        });
    }

    /** Injects a complete link-layer frame (Ethernet links only). */
    void inject(byte[] frame, int length) throws IOException {
        checkAlive();
        try {
            handle.sendPacket(frame, length);
        } catch (NotOpenException e) {
            throw new IOException("capture on interface " + netInterface.name() + " is closed", e);
        } catch (PcapNativeException e) {
            throw new IOException("cannot send on interface " + netInterface.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * libpcap's counters, read now; after the handle closed, the last ones read. Reading is
     * serialised (pcap_stats accumulates the kernel's counters inside the handle, and the receive
     * thread must not free the handle meanwhile), but nobody queues for it: a caller that finds
     * another one reading takes the counters that one is about to publish, or the previous ones.
     */
    CaptureStats stats() {
        if (statsLock.tryLock()) {
            try {
                readStatsLocked();
            } finally {
                statsLock.unlock();
            }
        }
        return lastStats;
    }

    /**
     * The counters as last read, at most ~{@link #POLL_MILLIS} ms old while the capture runs:
     * free to call, for a lower bound at the start of a scan (the counters only grow).
     */
    CaptureStats recentStats() {
        return lastStats;
    }

    private void refreshStatsIfDue() {
        if (statsLock.tryLock()) {
            try {
                if (System.nanoTime() - lastStatsNanos >= STATS_REFRESH_NANOS) {
                    readStatsLocked();
                    WireClock.remeasure();
                }
            } finally {
                statsLock.unlock();
            }
        }
    }

    private void readStatsLocked() {
        if (!handleClosed) {
            CaptureStats now = reader.stats();
            if (now != null) {
                lastStats = now;
                lastStatsNanos = System.nanoTime();
            }
        }
    }

    /** BPF program text for the current addresses; caller holds lock. */
    private String filterExpression() {
        return CaptureFilter.expression(addresses.keySet(), netInterface.kind() == NetInterface.Kind.ETHERNET);
    }

    /** Replaces the filter between two reads; caller holds lock. */
    private void replaceFilter() throws LinkException {
        String expression = filterExpression();
        readerLock.lock();
        try {
            if (readingClosed) {
                throw new LinkException("capture on interface " + netInterface.name() + " stopped"
                        + (failure == null ? "" : ": " + failure));
            }
            reader.setFilter(expression);
            LOG.debug("capture filter on {}: {}", netInterface.name(), expression);
        } catch (PcapNativeException e) {
            throw new LinkException("cannot set the capture filter on " + netInterface.name() + ": " + e.getMessage(), e);
        } finally {
            readerLock.unlock();
        }
    }

    /**
     * Wakes the receive thread, which closes the handle, and returns without waiting for it:
     * closing a packet socket waits for the kernel's RCU grace periods (~25 ms here), which a
     * scan's caller (a command-line user, a JMeter sample) has no reason to sit through.
     */
    private void stop() {
        readiness.wake();
        LockSupport.unpark(thread);
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
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void waiterLeft() {
        waiters.decrementAndGet();
    }

    /**
     * Reads the ring once, on any thread holding the reader lock. A read error (interface down or
     * gone) ends the capture: the receive thread is woken to close it, and senders see it.
     *
     * @return packets handed over
     */
    private int readLocked() {
        if (readingClosed || failure != null) {
            return 0;
        }
        try {
            return reader.dispatch(frameSink);
        } catch (PcapNativeException e) {
            fail(e.getMessage());
        } catch (InterruptedException e) {
            // pcap_breakloop, which nothing here calls: ignore it.
        }
        return 0;
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
            LOG.warn("capture on {} stopped: {}", netInterface.name(), why);
        }
        stop();
    }

    /**
     * Reads what no scan reads for itself. While no scan sleeps waiting for a reply, scans read
     * their replies themselves, and a reader in poll would only race them for each packet (and
     * cost the sender a wake-up per packet, measured on lo: ~10.8 us per probe against ~7.2): the
     * thread then naps, reading once per nap for anyone who never sleeps here (neighbour
     * resolution, a scan busy sending), until a scan is about to sleep. While scans sleep, it
     * waits in poll and hands their replies over. After a batch it naps briefly instead of polling
     * again, which delays a reply far less than the smallest probe timeout; a batch of one packet,
     * though, means nothing else was waiting, and napping then would only delay the next reply,
     * so that nap follows batches of at least {@link #COALESCE_MIN_BATCH} only.
     */
    private void receive() {
        try {
            while (!closing && failure == null) {
                if (waiters.get() == 0) {
                    napWhileOthersRead();
                    if (waiters.get() == 0) {
                        readIfFree();
                        refreshStatsIfDue();
                        continue;
                    }
                }
                int seen = readiness.await(POLL_MILLIS);
                if (closing || failure != null) {
                    return;
                }
                int count = readIfFree();
                refreshStatsIfDue();
                if (count < 0) {
                    // Another thread is reading: poll would report the same packets at once, again.
                    LockSupport.parkNanos(this, BUSY_READER_SPIN_NANOS);
                } else if (count >= COALESCE_MIN_BATCH) {
                    LockSupport.parkNanos(this, COALESCE_NANOS);
                } else if (count == 0 && (seen & ReadinessWait.SOCKET_ERROR) != 0) {
                    // An error that libpcap did not report would wake us at once, forever.
                    LockSupport.parkNanos(this, COALESCE_NANOS);
                }
            }
        } catch (RuntimeException | Error e) {
            failure = String.valueOf(e);
            LOG.error("capture on {} failed", netInterface.name(), e);
        } finally {
            closeHandle();
        }
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
     * within microseconds, and our reply may be among the packets it hands over); one preempted
     * while holding the lock gets this core once.
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

    private void napWhileOthersRead() {
        napping = true;
        try {
            if (waiters.get() == 0 && !closing) {
                LockSupport.parkNanos(this, OTHERS_READING_NANOS);
            }
        } finally {
            napping = false;
        }
    }

    private void closeHandle() {
        statsLock.lock();
        try {
            CaptureStats last = reader.stats();
            if (last != null) {
                lastStats = last;
            }
            handleClosed = true;
        } finally {
            statsLock.unlock();
        }
        readerLock.lock();
        try {
            readingClosed = true;
            readiness.close();
            reader.close();
            handle.close();
        } finally {
            readerLock.unlock();
        }
        synchronized (lock) {
            if (failure == null && !closing) {
                failure = "the capture stopped";
            }
            finished = true;
            lock.notifyAll();
        }
    }

    /** The hot path: one call per captured frame, by the thread holding the reader lock. */
    private void dispatch(byte[] frame, int length, long epochNanos) {
        int offset = linkHeader.payloadOffset(frame, length);
        if (offset < 0) {
            return;
        }
        long wireNanos = WireClock.monotonicOf(epochNanos);
        deliver(handlers.get(), frame, offset, length, wireNanos);
        PacketHandler[] routed = portRoutes.handlersFor(frame, offset, length);
        if (routed != null) {
            deliverDecoded(routed, frame, offset, length, wireNanos);
        }
    }

    /** As {@link #deliver}, handing over the routing's decoded packet too (decoded once, not per handler). */
    private void deliverDecoded(PacketHandler[] handlers, byte[] frame, int offset, int length, long wireNanos) {
        DecodedPacket decoded = portRoutes.decoded();
        for (PacketHandler handler : handlers) {
            try {
                handler.onDecoded(decoded, frame, offset, length, wireNanos);
            } catch (RuntimeException e) {
                countHandlerError(e);
            }
        }
    }

    private void deliver(PacketHandler[] handlers, byte[] frame, int offset, int length, long wireNanos) {
        for (PacketHandler handler : handlers) {
            try {
                handler.onPacket(frame, offset, length, wireNanos);
            } catch (RuntimeException e) {
                countHandlerError(e);
            }
        }
    }

    private void countHandlerError(RuntimeException e) {
        if (handlerErrors.getAndIncrement() == 0) {
            LOG.error("a packet handler on {} failed; further failures are counted, not logged",
                    netInterface.name(), e);
        }
    }

    long handlerErrors() {
        return handlerErrors.get();
    }
}
