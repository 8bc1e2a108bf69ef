package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pcap handle on one interface, shared by every link that uses the interface, from opening to
 * closing. Obtained and released only through {@link Captures}, which counts references.
 *
 * <p>The BPF filter admits the traffic of the source addresses that links on this interface use
 * ({@link CaptureAddresses}, {@link CaptureFilter}), so the kernel drops everything else before it
 * costs a copy. Who reads the ring and when is {@link CaptureRing}'s job; who gets each frame,
 * {@link CaptureHandlers}'; libpcap's counters, {@link CaptureCounters}'.
 *
 * <p>The capture's thread owns the handle: it is the only one that closes it.
 */
final class Capture {
    private static final Logger LOG = LoggerFactory.getLogger(Capture.class);

    static final int SNAPLEN = 256;
    /** The kernel's ring for captured frames: a fast scan's replies fit, so none is dropped. */
    static final int BUFFER_BYTES = 32 << 20;
    /** Room for ~1900 frames per batch read out of the ring: more than arrive between two naps. */
    static final int BATCH_BYTES = 512 << 10;

    private final NetInterface netInterface;
    private final PcapHandle handle;
    private final Thread thread;
    private final Object lock = new Object();
    private final CaptureHandlers handlers;
    private final CaptureCounters counters;
    private final CaptureRing ring;
    private volatile String failure;
    private volatile boolean closing;

    // Guarded by lock.
    private final CaptureAddresses addresses;
    private boolean finished;

    private Capture(NetInterface netInterface, PcapHandle handle, PcapDirect reader, ReadinessWait readiness,
            LinkHeader linkHeader) {
        this.netInterface = netInterface;
        this.handle = handle;
        this.addresses = new CaptureAddresses(netInterface.kind() == NetInterface.Kind.ETHERNET);
        this.handlers = new CaptureHandlers(netInterface.name(), linkHeader);
        this.counters = new CaptureCounters(reader);
        this.thread = new Thread(this::receive, "portscan-capture-" + netInterface.name());
        this.thread.setDaemon(true);
        this.ring = new CaptureRing(reader, readiness, handlers, this::fail, thread);
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
        capture.addresses.add(source);
        try {
            reader.setFilter(capture.addresses.filterExpression());
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

    /** The capture as a scan that waits for replies sees it. */
    CaptureWaitProtocol reader() {
        return ring;
    }

    /** Adds one reference held for {@code source}; widens the filter if the address is new. */
    void retain(InetAddress source) throws LinkException {
        synchronized (lock) {
            if (closing || finished) {
                throw stopped();
            }
            if (addresses.add(source)) {
                try {
                    replaceFilter();
                } catch (LinkException e) {
                    addresses.remove(source);
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
            boolean addressGone = addresses.remove(source);
            if (addresses.references() > 0) {
                if (addressGone && !finished) {
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
     * {@link LocalPortDispatch}); closing the result is idempotent.
     */
    PacketLink.Subscription subscribe(PacketHandler handler, int firstPort, int count) throws IOException {
        checkAlive();
        return handlers.add(handler, firstPort, count);
    }

    /** Adds a handler that sees every frame passing the filter; closing the result is idempotent. */
    PacketLink.Subscription subscribe(PacketHandler handler) throws IOException {
        checkAlive();
        return handlers.add(handler);
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

    /** libpcap's counters, read now; after the handle closed, the last ones read. */
    CaptureStats stats() {
        return counters.now();
    }

    /** The counters as last read: free to call, for a lower bound (see {@link CaptureCounters#recent}). */
    CaptureStats recentStats() {
        return counters.recent();
    }

    long handlerErrors() {
        return handlers.errors();
    }

    /** Replaces the filter between two reads; caller holds lock. */
    private void replaceFilter() throws LinkException {
        String expression = addresses.filterExpression();
        try {
            if (!ring.setFilter(expression)) {
                throw stopped();
            }
            LOG.debug("capture filter on {}: {}", netInterface.name(), expression);
        } catch (PcapNativeException e) {
            throw new LinkException("cannot set the capture filter on " + netInterface.name() + ": " + e.getMessage(), e);
        }
    }

    private LinkException stopped() {
        return new LinkException("capture on interface " + netInterface.name() + " stopped"
                + (failure == null ? "" : ": " + failure));
    }

    /**
     * Wakes the receive thread, which closes the handle, and returns without waiting for it:
     * closing a packet socket waits for the kernel's RCU grace periods, which a scan's caller (a
     * command-line user, a JMeter sample) has no reason to sit through.
     */
    private void stop() {
        ring.wake();
        LockSupport.unpark(thread);
    }

    /** A read error (interface down or gone) ends the capture: the receive thread closes it, and senders see it. */
    private void fail(String why) {
        if (failure == null) {
            failure = why;
            LOG.warn("capture on {} stopped: {}", netInterface.name(), why);
        }
        stop();
    }

    /** The capture's thread: reads until the capture closes or fails, then closes the handle. */
    private void receive() {
        try {
            ring.receive(() -> closing || failure != null, counters::refreshIfDue);
        } catch (RuntimeException | Error e) {
            failure = String.valueOf(e);
            LOG.error("capture on {} failed", netInterface.name(), e);
        } finally {
            closeHandle();
        }
    }

    private void closeHandle() {
        counters.readLastBeforeClose();
        ring.close(handle);
        synchronized (lock) {
            if (failure == null && !closing) {
                failure = "the capture stopped";
            }
            finished = true;
            lock.notifyAll();
        }
    }
}
