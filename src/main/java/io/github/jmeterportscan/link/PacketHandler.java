package io.github.jmeterportscan.link;

import io.github.jmeterportscan.probe.DecodedPacket;

/**
 * Receives captured packets, one call at a time, on whichever thread is reading the capture: its
 * own, or a scan's that reads for itself ({@link CaptureWaitProtocol}). Runs on the hot path: no
 * allocation, no logging, no blocking; read the bytes you need and return.
 */
@FunctionalInterface
public interface PacketHandler {
    /**
     * @param frame    the captured bytes; valid only during this call
     * @param ipOffset index of the first byte of the IPv4/IPv6 header (after the link header)
     * @param length   number of valid bytes in {@code frame}
     * @param wireNanos when the kernel captured the frame, on the {@link System#nanoTime()} clock
     *                 (see {@link WireClock})
     */
    void onPacket(byte[] frame, int ipOffset, int length, long wireNanos);

    /**
     * As {@link #onPacket}, for a packet the capture decoded already to route it by port
     * ({@link PacketLink#subscribe(PacketHandler, int, int)}): a handler that decodes anyway
     * takes {@code decoded} instead of decoding again. Valid only during this call.
     */
    default void onDecoded(DecodedPacket decoded, byte[] frame, int ipOffset, int length, long wireNanos) {
        onPacket(frame, ipOffset, length, wireNanos);
    }
}
