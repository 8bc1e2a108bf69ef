package io.github.jmeterportscan.testsupport;

import java.lang.management.ManagementFactory;
import java.util.function.Predicate;

/**
 * What this JVM holds of the operating system's resources, read from /proc: open file descriptors
 * (and among them packet sockets, which are pcap handles, raw IP sockets and TCP sockets:
 * {@link ProcessSockets}), live threads, and the live heap after a full GC. The leak
 * tests compare two snapshots.
 *
 * @param fds            entries of /proc/self/fd (the directory handle that lists them included)
 * @param packetSockets  AF_PACKET sockets: one per open pcap handle
 * @param rawSockets     raw IPv4 and IPv6 sockets (the links that send probes on loopback)
 * @param tcpSockets     TCP sockets (connect scans, listeners)
 * @param threads        live threads
 * @param captureThreads live threads named {@code portscan-capture-*}: one per open shared capture
 * @param scanThreads    live threads of the scanner that belong to one test or scan (its name starts
 *                       with {@code portscan-}): captures, connect-scan captures, pcap file writers;
 *                       not the send helpers, which the JVM keeps
 */
public record ProcessResources(int fds, int packetSockets, int rawSockets, int tcpSockets, int threads,
        int captureThreads, int scanThreads) {
    /** The receive thread of a shared capture is named after this prefix and its interface. */
    public static final String CAPTURE_THREAD_PREFIX = "portscan-capture-";
    private static final String SCANNER_THREAD_PREFIX = "portscan-";
    private static final String SEND_HELPER_PREFIX = "portscan-send-";

    public static ProcessResources now() {
        ProcessSockets sockets = ProcessSockets.ofSelf();
        return new ProcessResources(sockets.fds(), sockets.packet(), sockets.raw(), sockets.tcp(),
                liveThreads(t -> true),
                liveThreads(t -> t.getName().startsWith(CAPTURE_THREAD_PREFIX)),
                liveThreads(t -> t.getName().startsWith(SCANNER_THREAD_PREFIX)
                        && !t.getName().startsWith(SEND_HELPER_PREFIX)));
    }

    /** Bytes of heap still in use after two full collections: the live set. */
    public static long liveHeapAfterFullGc() {
        // Two rounds: objects whose finalisation or reference clearing the first one queued go in the second.
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static int liveThreads(Predicate<Thread> which) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(which).count();
    }

    /** Handles that the capture, the sending links and the scans hold, for messages. */
    public String handles() {
        return "fds=" + fds + " packet=" + packetSockets + " raw=" + rawSockets + " tcp=" + tcpSockets
                + " threads=" + threads + " capture-threads=" + captureThreads + " scan-threads=" + scanThreads;
    }
}
