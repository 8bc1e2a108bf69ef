package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What this JVM holds of the operating system's resources, read from /proc: open file descriptors
 * (and among them packet sockets, which are pcap handles, raw IP sockets and TCP sockets, told
 * apart by their inode in /proc/net), live threads, and the live heap after a full GC. The leak
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

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final String SOCKET_LINK = "socket:[";

    public static ProcessResources now() {
        Set<Long> sockets = new HashSet<>();
        int fds = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FDS)) {
            for (Path fd : entries) {
                fds++;
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue; // closed while we listed
                }
                if (target.startsWith(SOCKET_LINK)) {
                    sockets.add(Long.parseLong(target.substring(SOCKET_LINK.length(), target.length() - 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int packet = countIn(sockets, inodes(Path.of("/proc/net/packet"), 8));
        Set<Long> raw = inodes(Path.of("/proc/net/raw"), 9);
        raw.addAll(inodes(Path.of("/proc/net/raw6"), 9));
        Set<Long> tcp = inodes(Path.of("/proc/net/tcp"), 9);
        tcp.addAll(inodes(Path.of("/proc/net/tcp6"), 9));
        return new ProcessResources(fds, packet, countIn(sockets, raw), countIn(sockets, tcp), liveThreads(t -> true),
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

    private static int countIn(Set<Long> ours, Set<Long> table) {
        int n = 0;
        for (Long inode : ours) {
            if (table.contains(inode)) {
                n++;
            }
        }
        return n;
    }

    /** The inode column of a /proc/net table (one header line, whitespace-separated fields). */
    private static Set<Long> inodes(Path table, int column) {
        Set<Long> out = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > column) {
                out.add(Long.parseLong(fields[column]));
            }
        }
        return out;
    }

    /** Handles that the capture, the sending links and the scans hold, for messages. */
    public String handles() {
        return "fds=" + fds + " packet=" + packetSockets + " raw=" + rawSockets + " tcp=" + tcpSockets
                + " threads=" + threads + " capture-threads=" + captureThreads + " scan-threads=" + scanThreads;
    }
}
