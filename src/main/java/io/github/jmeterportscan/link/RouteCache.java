package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /**
     * The routes to {@code destinations}, in their order: fresh entries from the cache while it is
     * enabled, the others asked of the kernel together ({@link RouteBatch}) and remembered.
     */
    static List<Route> lookupAll(List<InetAddress> destinations, Optional<String> interfaceName)
            throws LinkException {
        if (!enabled) {
            return RouteBatch.lookupAll(destinations, interfaceName);
        }
        long now = System.nanoTime();
        Route[] routes = new Route[destinations.size()];
        List<InetAddress> missing = new ArrayList<>();
        for (int i = 0; i < routes.length; i++) {
            Entry entry = ROUTES.get(new Key(destinations.get(i), interfaceName));
            if (entry != null && now - entry.lookedUpNanos() < MAX_AGE_NANOS) {
                routes[i] = entry.route();
            } else {
                missing.add(destinations.get(i));
            }
        }
        if (!missing.isEmpty()) {
            List<Route> asked = missing.size() == 1 ? List.of(Routes.lookup(missing.get(0), interfaceName))
                    : RouteBatch.lookupAll(missing, interfaceName);
            Map<InetAddress, Route> byDestination = new HashMap<>();
            for (Route route : asked) {
                byDestination.put(route.destination(), route);
                if (enabled) {
                    ROUTES.put(new Key(route.destination(), interfaceName), new Entry(route, now));
                }
            }
            for (int i = 0; i < routes.length; i++) {
                if (routes[i] == null) {
                    routes[i] = byDestination.get(destinations.get(i));
                }
            }
        }
        return List.of(routes);
    }

    /** Called by {@link Captures} when the first retention starts and the last one ends. */
    static void setEnabled(boolean on) {
        enabled = on;
        if (!on) {
            ROUTES.clear();
        }
    }
}
