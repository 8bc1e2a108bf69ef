package io.github.jmeterportscan.scan;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which TCP ports have a listener reachable on a loopback address, from the kernel's own tables
 * (/proc/net/tcp, /proc/net/tcp6). The oracle for loopback scans on a shared machine, where other
 * programs listen too.
 *
 * @param definite  ports whose listener certainly accepts on the address
 * @param ambiguous ports whose listener may or may not (an IPv6 wildcard listener and an IPv4
 *                  address: it depends on IPV6_V6ONLY, which /proc does not show)
 */
record LoopbackListeners(Set<Integer> definite, Set<Integer> ambiguous) {
    private static final String LISTEN = "0A";
    private static final String V4_ANY = "00000000";
    private static final String V6_ANY = "00000000000000000000000000000000";
    private static final String V6_LOOPBACK = "00000000000000000000000001000000";
    private static final String V6_MAPPED_PREFIX = "0000000000000000FFFF0000";

    static LoopbackListeners on(InetAddress loopback) throws IOException {
        Set<Integer> definite = new TreeSet<>();
        Set<Integer> ambiguous = new TreeSet<>();
        boolean v4 = loopback instanceof Inet4Address;
        String v4Hex = v4 ? v4Hex(loopback.getAddress()) : null;
        for (String[] entry : listeners(Path.of("/proc/net/tcp"))) {
            if (v4 && (entry[0].equals(v4Hex) || entry[0].equals(V4_ANY))) {
                definite.add(Integer.parseInt(entry[1], 16));
            }
        }
        for (String[] entry : listeners(Path.of("/proc/net/tcp6"))) {
            int port = Integer.parseInt(entry[1], 16);
            String address = entry[0];
            if (v4) {
                if (address.equals(V6_MAPPED_PREFIX + v4Hex) || address.equals(V6_MAPPED_PREFIX + V4_ANY)) {
                    definite.add(port);
                } else if (address.equals(V6_ANY)) {
                    ambiguous.add(port);
                }
            } else if (address.equals(V6_LOOPBACK) || address.equals(V6_ANY)) {
                definite.add(port);
            }
        }
        ambiguous.removeAll(definite);
        return new LoopbackListeners(definite, ambiguous);
    }

    /** /proc writes an IPv4 address as one 32-bit word in host (little-endian) order. */
    private static String v4Hex(byte[] a) {
        return String.format("%02X%02X%02X%02X", a[3], a[2], a[1], a[0]);
    }

    private static List<String[]> listeners(Path table) throws IOException {
        if (!Files.exists(table)) {
            return List.of();
        }
        return Files.readAllLines(table).stream().skip(1).map(String::trim).map(line -> line.split("\\s+"))
                .filter(fields -> fields.length > 3 && LISTEN.equals(fields[3]))
                .map(fields -> fields[1].split(":"))
                .toList();
    }
}
