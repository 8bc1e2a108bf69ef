package io.github.jmeterportscan.link;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the kernel's neighbour cache: /proc/net/arp for IPv4 (no process to start), and
 * {@code ip -6 -j neigh} for IPv6, which has no /proc file. Only complete entries count.
 */
final class NeighbourTable {
    private static final Path PROC_ARP = Path.of("/proc/net/arp");
    /** ATF_COM: the entry is complete. */
    private static final int ATF_COM = 0x2;
    private static final Pattern LLADDR = Pattern.compile("\"lladdr\":\"([0-9a-fA-F:]{17})\"");
    private static final Pattern STATE = Pattern.compile("\"state\":\\[([^\\]]*)\\]");

    private NeighbourTable() {
    }

    static Optional<MacAddress> lookup(InetAddress address, String interfaceName) {
        return address instanceof Inet4Address ? lookupArp(address, interfaceName) : lookupNdp(address, interfaceName);
    }

    private static Optional<MacAddress> lookupArp(InetAddress address, String interfaceName) {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC_ARP);
        } catch (IOException e) {
            return Optional.empty();
        }
        String wanted = address.getHostAddress();
        // "IP address  HW type  Flags  HW address  Mask  Device"
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals(wanted) && f[5].equals(interfaceName)) {
                int flags = Integer.decode(f[2]);
                MacAddress mac = MacAddress.parse(f[3]);
                if ((flags & ATF_COM) != 0 && !mac.equals(MacAddress.ZERO)) {
                    return Optional.of(mac);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<MacAddress> lookupNdp(InetAddress address, String interfaceName) {
        String json;
        try {
            Process p = new ProcessBuilder("ip", "-6", "-j", "neigh", "show", "to", Routes.literal(address),
                    "dev", interfaceName).redirectErrorStream(true).start();
            try (InputStream out = p.getInputStream()) {
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                json = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Matcher mac = LLADDR.matcher(json);
        if (!mac.find()) {
            return Optional.empty();
        }
        Matcher state = STATE.matcher(json);
        if (state.find() && (state.group(1).contains("FAILED") || state.group(1).contains("INCOMPLETE"))) {
            return Optional.empty();
        }
        return Optional.of(MacAddress.parse(mac.group(1)));
    }
}
