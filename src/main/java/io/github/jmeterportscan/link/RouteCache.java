package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the kernel's routes while captures are retained (a JMeter test: many short scans of
 * the same few destinations). A lookup runs {@code ip route get}, a process start, which would
 * bound a JMeter thread's rate of one-port scans; the CLI looks each host up once and does not use
 * this. An entry is trusted for {@link #MAX_AGE_NANOS} only, so a route that
 * changes during a test is picked up within seconds.
 */
final class RouteCache {
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private record Key(InetAddress destination, Optional<String> interfaceName) {
    }

    private record Entry(Route route, long lookedUpNanos) {
    }

    private static final Map<Key, Entry> ROUTES = new ConcurrentHashMap<>();
    private static volatile boolean enabled;

    private RouteCache() {
    }

    /** The route, from the cache while it is enabled and the entry is fresh, else from the kernel. */
    static Route lookup(InetAddress destination, Optional<String> interfaceName) throws LinkException {
        if (!enabled) {
            return Routes.lookup(destination, interfaceName);
        }
        Key key = new Key(destination, interfaceName);
        long now = System.nanoTime();
        Entry entry = ROUTES.get(key);
        if (entry != null && now - entry.lookedUpNanos() < MAX_AGE_NANOS) {
            return entry.route();
        }
        Route route = Routes.lookup(destination, interfaceName);
        if (enabled) {
            ROUTES.put(key, new Entry(route, now));
        }
        return route;
    }

    /** Called by {@link Captures} when the first retention starts and the last one ends. */
    static void setEnabled(boolean on) {
        enabled = on;
        if (!on) {
            ROUTES.clear();
        }
    }
}
