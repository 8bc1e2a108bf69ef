package io.github.jmeterportscan.link;

/**
 * libpcap's counters for a shared capture, for diagnostics (the engine logs drops). They cover
 * every link on the interface, not one scan. On Linux lo each packet is counted twice in
 * {@code received}.
 *
 * @param received          packets the kernel passed the filter and queued for us
 * @param dropped           packets lost because our buffer was full (we read too slowly)
 * @param droppedByInterface packets the interface or driver dropped
 */
public record CaptureStats(long received, long dropped, long droppedByInterface) {
    public static final CaptureStats NONE = new CaptureStats(0, 0, 0);
}
