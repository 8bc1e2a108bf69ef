package io.github.jmeterportscan.link;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broadcast addresses of the IPv4 networks this host is directly connected to, read from its
 * interfaces' addresses: each network's last address (for prefixes up to /30; a /31 or /32 has
 * none) and any broadcast address set by hand. The last address counts whether or not the address
 * was configured with a broadcast ({@code ip addr add 198.18.0.1/24} sets none): the kernel adds a
 * broadcast route for it either way.
 *
 * <p>Reading the interfaces costs more than a one-port JMeter sample; while captures
 * are retained (a JMeter test) a reading is reused for {@link #MAX_AGE_NANOS}, as routes are (see
 * {@code RouteCache}). A network configured within that time is not known here yet, and the kernel
 * still keeps a probe from reaching it: a raw scan's route lookup refuses a broadcast route and
 * {@code connect()} to a broadcast address fails with ENETUNREACH.
 */
public final class ConnectedBroadcasts {
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectedBroadcasts.class);

    private record Reading(Map<InetAddress, String> broadcasts, long readNanos) {
    }

    private static volatile boolean caching;
    private static volatile Reading last;

    private ConnectedBroadcasts() {
    }

    /**
     * Every broadcast address of a directly connected network, each with what it is, e.g.
     * 198.18.0.255 -> "the broadcast address of 198.18.0.0/24 on eth0".
     */
    public static Map<InetAddress, String> read() {
        Reading reading = last;
        long now = System.nanoTime();
        if (caching && reading != null && now - reading.readNanos() < MAX_AGE_NANOS) {
            return reading.broadcasts();
        }
        Map<InetAddress, String> fresh = readInterfaces();
        if (caching) {
            last = new Reading(fresh, now);
        }
        return fresh;
    }

    /** Called by {@link Captures} when the first retention starts and the last one ends. */
    static void setCaching(boolean on) {
        caching = on;
        last = null;
    }

    private static Map<InetAddress, String> readInterfaces() {
        Map<InetAddress, String> out = new HashMap<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress address : nif.getInterfaceAddresses()) {
                    if (address.getAddress() instanceof Inet4Address v4) {
                        add(out, nif.getName(), v4, address.getNetworkPrefixLength(), address.getBroadcast());
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list means no connected network to know of; the kernel's checks remain.
            LOG.debug("cannot list the network interfaces: {}", e.getMessage());
        }
        return Map.copyOf(out);
    }

    private static void add(Map<InetAddress, String> out, String interfaceName, Inet4Address address, int prefix,
            InetAddress configured) {
        int value = toInt(address.getAddress());
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        String network = fromInt(value & mask).getHostAddress() + "/" + prefix;
        String what = "the broadcast address of " + network + " on " + interfaceName;
        if (prefix <= 30) {
            out.putIfAbsent(fromInt(value | ~mask), what);
        }
        if (configured != null && toInt(configured.getAddress()) != 0) {
            out.putIfAbsent(configured, what);
        }
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static InetAddress fromInt(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address was refused", e);
        }
    }
}
