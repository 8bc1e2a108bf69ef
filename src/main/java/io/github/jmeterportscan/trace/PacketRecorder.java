package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.scan.ScanObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the packets of a scan in memory, for a per-port trace afterwards ({@link PortTraces}).
 * Thread-safe. Holds at most {@code limit} packets (a -p- scan sends 65535 probes and more), and
 * counts the ones it had to leave out.
 */
public final class PacketRecorder implements ScanObserver {
    /** Enough for every probe and reply of a 1000-port scan with retries, several times over. */
    public static final int DEFAULT_LIMIT = 20_000;

    private final int limit;
    private final List<TracedPacket> packets = new ArrayList<>();
    private long omitted;

    public PacketRecorder() {
        this(DEFAULT_LIMIT);
    }

    public PacketRecorder(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public void packet(PacketDirection direction, byte[] datagram, int offset, int length, long epochNanos) {
        synchronized (packets) {
            if (packets.size() >= limit) {
                omitted++;
                return;
            }
        }
        TracedPacket packet = TracedPacket.copyOf(direction, datagram, offset, length, epochNanos);
        synchronized (packets) {
            if (packets.size() < limit) {
                packets.add(packet);
            } else {
                omitted++;
            }
        }
    }

    /**
     * The packets so far in time order (probes before replies at equal times: the capture thread
     * may report a reply before the sending thread reports its probe).
     */
    public List<TracedPacket> packets() {
        List<TracedPacket> copy;
        synchronized (packets) {
            copy = new ArrayList<>(packets);
        }
        copy.sort(Comparator.comparingLong(TracedPacket::epochNanos).thenComparing(TracedPacket::direction));
        return List.copyOf(copy);
    }

    /** Packets left out because the limit was reached. */
    public long omitted() {
        synchronized (packets) {
            return omitted;
        }
    }
}
