package io.github.jmeterportscan.scan;

/**
 * The engine's side of packet tracing: hands probes and matched replies to an observer that
 * {@linkplain ScanObserver#wantsPackets() wants them}. {@link #of} returns null when nobody does,
 * so the hot paths pay one null check and nothing else.
 */
final class PacketTap {
    private final ScanObserver observer;

    private PacketTap(ScanObserver observer) {
        this.observer = observer;
    }

    /** A tap for {@code observer}, or null when it does not want packets. */
    static PacketTap of(ScanObserver observer) {
        return observer.wantsPackets() ? new PacketTap(observer) : null;
    }

    /** Wall-clock nanoseconds for a {@link System#nanoTime()} reading. */
    static long epochNanos(long nanoTime) {
        return io.github.jmeterportscan.link.WireClock.epochOf(nanoTime);
    }

    void sent(byte[] datagram, int offset, int length, long nanoTime) {
        observer.packet(PacketDirection.SENT, datagram, offset, length, epochNanos(nanoTime));
    }

    /** A captured frame: the datagram runs from {@code ipOffset} to {@code frameLength}. */
    void received(byte[] frame, int ipOffset, int frameLength, long nanoTime) {
        observer.packet(PacketDirection.RECEIVED, frame, ipOffset, frameLength - ipOffset, epochNanos(nanoTime));
    }
}
