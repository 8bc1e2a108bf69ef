package io.github.jmeterportscan.scan;

/**
 * The engine's side of packet tracing: hands probes and matched replies to an observer that
 * {@linkplain ScanObserver#wantsPackets() wants them}. {@link #of} returns null when nobody does,
 * so the hot paths pay one null check and nothing else.
 */
final class PacketTap {
    /** One anchor per JVM: wall-clock nanoseconds = anchor + (nanoTime - nanoAnchor). */
    private static final long EPOCH_ANCHOR_NANOS;
    private static final long NANO_ANCHOR;

    static {
        java.time.Instant now = java.time.Instant.now();
        NANO_ANCHOR = System.nanoTime();
        EPOCH_ANCHOR_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

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
        return EPOCH_ANCHOR_NANOS + (nanoTime - NANO_ANCHOR);
    }

    void sent(byte[] datagram, int offset, int length, long nanoTime) {
        observer.packet(PacketDirection.SENT, datagram, offset, length, epochNanos(nanoTime));
    }

    /** A captured frame: the datagram runs from {@code ipOffset} to {@code frameLength}. */
    void received(byte[] frame, int ipOffset, int frameLength, long nanoTime) {
        observer.packet(PacketDirection.RECEIVED, frame, ipOffset, frameLength - ipOffset, epochNanos(nanoTime));
    }
}
