package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file descriptors of one process and, among them, its sockets by kind, read from /proc: a descriptor that is a
 * socket links to {@code socket:[inode]}, and the /proc/net tables of this network namespace say which kind each
 * inode is. Root may read any process's descriptors; others only their own.
 *
 * @param fds     entries of the process's fd directory
 * @param packet  AF_PACKET sockets: one per open pcap handle
 * @param raw     raw IPv4 and IPv6 sockets (the links that send probes on loopback)
 * @param tcp     TCP sockets (connect scans, listeners, RMI connections)
 */
public record ProcessSockets(int fds, int packet, int raw, int tcp) {
    private static final String SOCKET_LINK = "socket:[";

    /** This JVM's descriptors. */
    public static ProcessSockets ofSelf() {
        return read(Path.of("/proc/self/fd")).orElseThrow(() -> new IllegalStateException("/proc/self/fd is missing"));
    }

    /** The descriptors of process {@code pid}; empty once it has exited. */
    public static Optional<ProcessSockets> of(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "fd"));
    }

    private static Optional<ProcessSockets> read(Path fdDir) {
        Set<Long> sockets = new HashSet<>();
        int fds = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fdDir)) {
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
        } catch (NoSuchFileException e) {
            return Optional.empty(); // the process is gone
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<Long> raw = inodes(Path.of("/proc/net/raw"), 9);
        raw.addAll(inodes(Path.of("/proc/net/raw6"), 9));
        Set<Long> tcp = inodes(Path.of("/proc/net/tcp"), 9);
        tcp.addAll(inodes(Path.of("/proc/net/tcp6"), 9));
        return Optional.of(new ProcessSockets(fds, countIn(sockets, inodes(Path.of("/proc/net/packet"), 8)),
                countIn(sockets, raw), countIn(sockets, tcp)));
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
}
