package io.github.jmeterportscan.link;

import io.github.jmeterportscan.scan.ScanException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pcap handle on one interface, shared by every link that uses the interface, with its own
 * receive thread. Obtained and released only through {@link Captures}, which counts references.
 *
 * <p>The BPF filter admits TCP, ICMP and ICMPv6 addressed to any source address a link on this
 * interface uses (plus ARP replies on Ethernet, for next-hop resolution), so the kernel drops
 * everything else before it costs us a copy. When the set of addresses changes, the receive
 * thread is paused (breakLoop), the filter replaced, and the loop resumed: libpcap must not have
 * its filter replaced while another thread reads. Packets arriving during the pause wait in the
 * kernel buffer, so none are lost.
 *
 * <p>The receive thread owns the handle: it is the only one that closes it, because pcap4j's
 * close() blocks while a loop runs, and a caller must never hang on close.
 */
final class Capture {
    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);

    static final int SNAPLEN = 256;
    /** 1 MB lost half of the replies of a fast scan here; 32 MB did not. */
    static final int BUFFER_BYTES = 32 << 20;
    /** Room for ~1900 frames per batch read out of the ring: more than arrive between two naps. */
    private static final int BATCH_BYTES = 512 << 10;
    private static final long PAUSE_TIMEOUT_MILLIS = 2_000;
    private static final PacketHandler[] NO_HANDLERS = new PacketHandler[0];
    /** Nap after a non-empty batch; see {@link #drain()}. */
    private static final long COALESCE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Smallest batch that shows packets arriving faster than we wake; see {@link #drain()}. */
    private static final int COALESCE_MIN_BATCH = 2;

    private final NetInterface netInterface;
    private final PcapHandle handle;
    private final LinkHeader linkHeader;
    private final Thread thread;
    private final Object lock = new Object();
    /**
     * Copy-on-write so that the receive thread reads it without locking; updated by compare and
     * set, not under {@link #lock}, because every scan subscribes and unsubscribes and a hundred
     * JMeter threads queued on that lock.
     */
    private final AtomicReference<PacketHandler[]> handlers = new AtomicReference<>(NO_HANDLERS);
    private volatile String failure;
    private final ReentrantLock statsLock = new ReentrantLock();
    /** Written under statsLock, read without it. */
    private volatile CaptureStats lastStats = CaptureStats.NONE;
    private boolean handleClosed; // guarded by statsLock
    private final AtomicLong handlerErrors = new AtomicLong();
    private final PortRoutes portRoutes = new PortRoutes();
    private final PcapDirect reader;
    private final PcapDirect.FrameSink frameSink = this::dispatch;

    // Guarded by lock.
    private final Map<InetAddress, Integer> addresses = new LinkedHashMap<>();
    private int references;
    private boolean pauseRequested;
    private boolean paused;
    private boolean closing;
    private boolean finished;

    private Capture(NetInterface netInterface, PcapHandle handle, PcapDirect reader, LinkHeader linkHeader) {
        this.netInterface = netInterface;
        this.handle = handle;
        this.reader = reader;
        this.linkHeader = linkHeader;
        this.thread = new Thread(this::receive, "portscan-capture-" + netInterface.name());
        this.thread.setDaemon(true);
    }

    /** Opens the handle, sets a filter for {@code source} and starts the receive thread. */
    static Capture open(NetInterface netInterface, InetAddress source) throws ScanException {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(netInterface.name())
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    // Immediate mode: a reply is handed over when it arrives, not when a block
                    // fills, so measured round-trip times stay true.
                    .immediateMode(true)
                    .timeoutMillis(100)
                    .bufferSize(BUFFER_BYTES)
                    // Our own outgoing probes are not replies; on lo this also halves the work.
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
        } catch (PcapNativeException | RuntimeException e) {
            throw new ScanException("cannot capture on interface " + netInterface.name() + ": " + e.getMessage(), e);
        }
        int dlt = handle.getDlt().value();
        LinkHeader header = LinkHeader.forDlt(dlt);
        if (header == null) {
            handle.close();
            throw new ScanException("interface " + netInterface.name() + " has link type " + handle.getDlt()
                    + ", which raw scanning does not support; use -sT");
        }
        PcapDirect reader;
        try {
            reader = PcapDirect.open(handle, SNAPLEN, BATCH_BYTES);
        } catch (ScanException e) {
            handle.close();
            throw e;
        }
        if (!reader.ignoreOutgoing()) {
            LOG.debug("the kernel keeps handing outgoing packets to the capture on {}", netInterface.name());
        }
        Capture capture = new Capture(netInterface, handle, reader, header);
        capture.addresses.put(source, 1);
        capture.references = 1;
        try {
            reader.setFilter(capture.filterExpression());
        } catch (PcapNativeException e) {
            reader.close();
            handle.close();
            throw new ScanException("cannot set the capture filter on " + netInterface.name() + ": " + e.getMessage(), e);
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
    void retain(InetAddress source) throws ScanException {
        synchronized (lock) {
            if (closing || finished) {
                throw new ScanException("capture on interface " + netInterface.name() + " stopped"
                        + (failure == null ? "" : ": " + failure));
            }
            int count = addresses.getOrDefault(source, 0);
            addresses.put(source, count + 1);
            references++;
            if (count == 0) {
                try {
                    replaceFilter();
                } catch (ScanException e) {
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
                    } catch (ScanException e) {
                        // A wider filter than needed only costs a little work; keep going.
                        LOG.debug("could not narrow the capture filter on {}: {}", netInterface.name(), e.getMessage());
                    }
                }
                return false;
            }
            closing = true;
            lock.notifyAll();
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
     * libpcap's counters; after the handle closed, the last ones read. Reading is serialised
     * (pcap_stats accumulates the kernel's counters inside the handle, and the receive thread must
     * not free the handle meanwhile), but nobody queues for it: with a hundred JMeter threads each
     * reading them twice per scan, a caller that finds another one reading takes the counters
     * that one is about to publish, or the previous ones, a few microseconds old.
     */
    CaptureStats stats() {
        if (statsLock.tryLock()) {
            try {
                if (!handleClosed) {
                    CaptureStats now = reader.stats();
                    if (now != null) {
                        lastStats = now;
                    }
                }
            } finally {
                statsLock.unlock();
            }
        }
        return lastStats;
    }

    /** BPF program text for the current addresses; caller holds lock. */
    private String filterExpression() {
        String hosts = addresses.keySet().stream()
                .map(a -> "dst host " + Routes.literal(a))
                .collect(Collectors.joining(" or "));
        // A bare SYN never answers a probe (SYN-ACK, RST and ICMP errors do); on lo our own SYNs come
        // back inbound, so leaving them out in the kernel halves the capture's work there.
        String tcp = "(ip and tcp and tcp[13] & 0x16 != 0x02)"
                + " or (ip6 and tcp and not (ip6[6] == 6 and ip6[53] & 0x16 == 0x02))";
        String ip = "((" + tcp + " or icmp or icmp6) and (" + hosts + "))";
        return netInterface.kind() == NetInterface.Kind.ETHERNET ? ip + " or (arp and arp[6:2] = 2)" : ip;
    }

    /** Pauses the receive thread, replaces the filter, resumes; caller holds lock. */
    private void replaceFilter() throws ScanException {
        String expression = filterExpression();
        pauseRequested = true;
        try {
            breakLoop();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_TIMEOUT_MILLIS);
            while (!paused && !finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ScanException("the capture on " + netInterface.name()
                            + " did not pause to change its filter within " + PAUSE_TIMEOUT_MILLIS + " ms");
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (finished) {
                throw new ScanException("capture on interface " + netInterface.name() + " stopped: " + failure);
            }
            reader.setFilter(expression);
            LOG.debug("capture filter on {}: {}", netInterface.name(), expression);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanException("interrupted while changing the capture filter", e);
        } catch (PcapNativeException e) {
            throw new ScanException("cannot set the capture filter on " + netInterface.name() + ": " + e.getMessage(), e);
        } finally {
            pauseRequested = false;
            lock.notifyAll();
        }
    }

    private void breakLoop() {
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // Already closed by the receive thread: nothing to wake.
        }
    }

    /**
     * Wakes the receive thread, which closes the handle, and returns without waiting for it:
     * closing a packet socket waits for the kernel's RCU grace periods (~25 ms here), which a
     * scan's caller (a command-line user, a JMeter sample) has no reason to sit through.
     */
    private void stop() {
        breakLoop();
    }

    private void receive() {
        try {
            while (true) {
                synchronized (lock) {
                    while (pauseRequested && !closing) {
                        paused = true;
                        lock.notifyAll();
                        lock.wait();
                    }
                    paused = false;
                    if (closing) {
                        return;
                    }
                }
                try {
                    drain();
                } catch (InterruptedException e) {
                    // breakLoop(): a filter change or close asked us out; the lock tells which.
                } catch (PcapNativeException e) {
                    failure = e.getMessage();
                    LOG.warn("capture on {} stopped: {}", netInterface.name(), e.getMessage());
                    return;
                } catch (NotOpenException e) {
                    failure = "the capture handle was closed";
                    return;
                }
            }
        } catch (InterruptedException e) {
            failure = "the capture thread was interrupted";
        } catch (RuntimeException | Error e) {
            failure = String.valueOf(e);
            LOG.error("capture on {} failed", netInterface.name(), e);
        } finally {
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
            reader.close();
            handle.close();
            synchronized (lock) {
                if (failure == null && !closing) {
                    failure = "the capture stopped";
                }
                finished = true;
                lock.notifyAll();
            }
        }
    }

    /**
     * Hands over what the ring holds, waiting (in poll) only when it is empty. After a batch the
     * thread naps briefly instead of polling again: every packet that arrives while a reader
     * sleeps in poll costs the sender a wake-up (measured on lo: ~10.8 us per probe against ~7.2
     * with a 200 us nap), and the nap delays a reply far less than the smallest probe timeout.
     * A batch of one packet, though, means nothing else was waiting: napping then only delays the
     * next reply, which for a run of one-port scans (JMeter) is each scan's whole wait, so the
     * nap follows batches of at least {@link #COALESCE_MIN_BATCH} only. A full scan's replies
     * come in bunches and still get it (its scan time was unchanged).
     * Returns (by exception) on breakLoop.
     */
    private void drain() throws PcapNativeException, InterruptedException, NotOpenException {
        while (true) {
            int count = reader.dispatch(frameSink);
            if (count >= COALESCE_MIN_BATCH) {
                LockSupport.parkNanos(COALESCE_NANOS);
            }
        }
    }

    /** The hot path: one call per captured frame, on the receive thread. */
    private void dispatch(byte[] frame, int length) {
        int offset = linkHeader.payloadOffset(frame, length);
        if (offset < 0) {
            return;
        }
        deliver(handlers.get(), frame, offset, length);
        PacketHandler[] routed = portRoutes.handlersFor(frame, offset, length);
        if (routed != null) {
            deliver(routed, frame, offset, length);
        }
    }

    private void deliver(PacketHandler[] handlers, byte[] frame, int offset, int length) {
        for (PacketHandler handler : handlers) {
            try {
                handler.onPacket(frame, offset, length);
            } catch (RuntimeException e) {
                if (handlerErrors.getAndIncrement() == 0) {
                    LOG.error("a packet handler on {} failed; further failures are counted, not logged",
                            netInterface.name(), e);
                }
            }
        }
    }

    long handlerErrors() {
        return handlerErrors.get();
    }
}
