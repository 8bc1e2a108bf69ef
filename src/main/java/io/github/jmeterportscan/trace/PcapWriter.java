package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.scan.ScanObserver;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes traced packets to a standard pcap file (link type RAW: each record is an IPv4 or IPv6
 * datagram; nanosecond timestamps) that tshark and Wireshark open.
 *
 * <p>Safe to share between any number of scans and threads: callers only put a copy of each
 * packet on a bounded queue, and one writer thread owns the file, so records never interleave and
 * no scanner thread waits on disk. If the queue is full (the disk is far slower than the scans)
 * packets are counted as lost instead of stalling the capture; {@link #close()} says how many.
 * The file is flushed whenever the queue runs dry, so it is readable while scans go on.
 */
public final class PcapWriter implements ScanObserver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PcapWriter.class);
    static final int SNAPLEN = 65535;
    private static final int QUEUE_CAPACITY = 1 << 16;
    private static final TracedPacket END = new TracedPacket(PacketDirection.SENT, 0, new byte[0]);
    private static final long CLOSE_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final PcapHandle deadHandle;
    private final PcapDumper dumper;
    private final BlockingQueue<TracedPacket> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closed;
    private volatile String failure;

    private PcapWriter(Path file, PcapHandle deadHandle, PcapDumper dumper) {
        this.file = file;
        this.deadHandle = deadHandle;
        this.dumper = dumper;
        this.writer = new Thread(this::drain, "portscan-pcap-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Creates (or truncates) {@code file} and starts its writer thread.
     *
     * @throws TraceException when libpcap is missing or the file cannot be created
     */
    public static PcapWriter open(Path file) throws TraceException {
        PcapHandle dead;
        try {
            dead = Pcaps.openDead(DataLinkType.RAW, SNAPLEN, PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException | RuntimeException | UnsatisfiedLinkError e) {
            throw new TraceException("Cannot write packet capture files: libpcap is not usable (" + e.getMessage()
                    + ")", e);
        }
        try {
            PcapDumper dumper = dead.dumpOpen(file.toString());
            PcapWriter w = new PcapWriter(file, dead, dumper);
            w.writer.start();
            return w;
        } catch (PcapNativeException | NotOpenException e) {
            dead.close();
            throw new TraceException("Failed to open packet capture file " + file + " for writing: "
                    + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public void packet(PacketDirection direction, byte[] datagram, int offset, int length, long epochNanos) {
        write(TracedPacket.copyOf(direction, datagram, offset, length, epochNanos));
    }

    /** Queues one packet (e.g. a recorded one, after the scan); never blocks. */
    public void write(TracedPacket packet) {
        if (closed || !queue.offer(packet)) {
            lost.incrementAndGet();
        }
    }

    /** Queues packets in order. */
    public void writeAll(List<TracedPacket> packets) {
        packets.forEach(this::write);
    }

    /** Packets written to the file so far. */
    public long written() {
        return written.get();
    }

    /** Packets that could not be written (queue full, writer closed or failed). */
    public long lost() {
        return lost.get();
    }

    private void drain() {
        List<TracedPacket> batch = new ArrayList<>();
        try {
            while (true) {
                TracedPacket first = queue.take();
                batch.add(first);
                queue.drainTo(batch);
                boolean end = false;
                for (TracedPacket p : batch) {
                    if (p == END) {
                        end = true;
                    } else {
                        dump(p);
                    }
                }
                batch.clear();
                dumper.flush();
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            failure = "the writer thread was interrupted";
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            failure = String.valueOf(e.getMessage());
            LOG.warn("Writing packet capture file {} failed: {}", file, e.getMessage());
        } finally {
            lost.addAndGet(queue.stream().filter(p -> p != END).count());
            queue.clear();
            dumper.close();
            deadHandle.close();
        }
    }

    private void dump(TracedPacket p) throws NotOpenException {
        long nanos = p.epochNanos();
        Timestamp ts = new Timestamp(Math.floorDiv(nanos, 1_000_000L));
        ts.setNanos((int) Math.floorMod(nanos, 1_000_000_000L));
        dumper.dumpRaw(p.bytes(), ts);
        written.incrementAndGet();
    }

    /**
     * Writes what is queued and closes the file. Packets offered afterwards are counted as lost.
     *
     * @throws TraceException when the file could not be completed, or packets were lost
     */
    @Override
    public void close() throws TraceException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(END);
            writer.join(TimeUnit.MILLISECONDS.toMillis(CLOSE_TIMEOUT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.interrupt();
        }
        if (writer.isAlive()) {
            throw new TraceException("Packet capture file " + file + " is still being written after "
                    + CLOSE_TIMEOUT_MILLIS + " ms; it may be incomplete");
        }
        if (failure != null) {
            throw new TraceException("Writing packet capture file " + file + " failed: " + failure);
        }
        if (lost.get() > 0) {
            throw new TraceException("Packet capture file " + file + " misses " + lost.get()
                    + " packets: the scans produced them faster than the file could be written");
        }
    }
}
