package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.scan.ScanObserver;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * nmap's --packet-trace as an observer: a SENT/RCVD line for every probe and matched reply of a raw
 * scan, and the CONN lines a connect scan reports, handed to {@code lines} as they happen.
 * {@code lines} is called from scanner threads, possibly at once: it must be thread-safe.
 */
public final class NmapPacketTrace implements ScanObserver {
    private final Consumer<String> lines;
    private final long startEpochNanos;

    /**
     * @param lines           where each line goes (e.g. stdout, synchronized)
     * @param startEpochNanos the time the "(0.0386s)" offsets count from
     */
    public NmapPacketTrace(Consumer<String> lines, long startEpochNanos) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.startEpochNanos = startEpochNanos;
    }

    @Override
    public void packetTrace(String line) {
        lines.accept(line);
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public void packet(PacketDirection direction, byte[] datagram, int offset, int length, long epochNanos) {
        lines.accept(NmapPacketFormat.line(TracedPacket.copyOf(direction, datagram, offset, length, epochNanos),
                startEpochNanos));
    }
}
