package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.scan.PacketDirection;
import java.util.Arrays;
import java.util.Objects;

/**
 * One packet that crossed the wire during a scan: the complete IP datagram (IP header first, no
 * link header), which way it went and when. Immutable: the bytes are copied in and out.
 *
 * @param direction  sent (a probe) or received (a reply to a probe)
 * @param epochNanos wall-clock time, nanoseconds since the epoch
 * @param datagram   the IPv4 or IPv6 datagram
 */
public record TracedPacket(PacketDirection direction, long epochNanos, byte[] datagram) {
    public TracedPacket {
        Objects.requireNonNull(direction, "direction");
        datagram = datagram.clone();
    }

    /**
     * Copies a datagram out of a buffer the engine reuses, cutting link-layer padding after it (the
     * IP header's length field says where the datagram ends).
     */
    public static TracedPacket copyOf(PacketDirection direction, byte[] buffer, int offset, int length,
            long epochNanos) {
        int end = offset + Math.min(length, IpLengths.datagramLength(buffer, offset, length));
        return new TracedPacket(direction, epochNanos, Arrays.copyOfRange(buffer, offset, end));
    }

    /** A copy of the datagram. */
    @Override
    public byte[] datagram() {
        return datagram.clone();
    }

    public int length() {
        return datagram.length;
    }

    /** The decoded headers (decoded on each call; keep the result if you need it often). */
    public DecodedDatagram decode() {
        return DatagramParser.parse(datagram);
    }

    /** The datagram itself, without a copy, for writers in this package. */
    byte[] bytes() {
        return datagram;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TracedPacket p && p.direction == direction && p.epochNanos == epochNanos
                && Arrays.equals(p.datagram, datagram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(direction, epochNanos, Arrays.hashCode(datagram));
    }

    @Override
    public String toString() {
        return "TracedPacket[" + direction + ", " + epochNanos + ", " + datagram.length + " bytes]";
    }
}
