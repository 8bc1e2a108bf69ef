package io.github.jmeterportscan.link;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes to a sweep's IPv4 destinations, a few kernel questions per routing-table entry instead
 * of one per address. For the lowest destination not yet routed, the kernel names the entry it
 * matches ({@code ip route get fibmatch}) and its own route ({@code ip route get}); every other
 * destination inside that entry's prefix has the same route unless a more specific entry lies
 * inside the prefix ({@code ip route show table all root PREFIX}), and those destinations are asked
 * one by one. Valid only while the routing rules are the kernel's defaults (local, main, default
 * looked up for every packet): any other rule can route two addresses of one prefix apart, and then
 * every destination is asked on its own ({@link RouteBatch}).
 */
final class RouteGroups {
    /** Below this many IPv4 destinations one batch of per-address lookups costs less. */
    static final int MIN_DESTINATIONS = 1024;
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern DEFAULT_RULES = Pattern.compile(
            "\\[\\{\"priority\":0,\"src\":\"all\",\"table\":\"local\"\\},"
                    + "\\{\"priority\":32766,\"src\":\"all\",\"table\":\"main\"\\},"
                    + "\\{\"priority\":32767,\"src\":\"all\",\"table\":\"default\"\\}\\]\\s*");

    private RouteGroups() {
    }

    /** Whether {@link #lookupAll} may serve {@code destinations}. */
    static boolean applies(List<InetAddress> destinations, Optional<String> interfaceName) throws LinkException {
        if (interfaceName.isPresent() || destinations.size() < MIN_DESTINATIONS
                || !destinations.stream().allMatch(a -> a instanceof Inet4Address)) {
            return false;
        }
        InetAddress any = destinations.get(0);
        return DEFAULT_RULES.matcher(Routes.run(List.of("ip", "-4", "-j", "rule", "show"), any)).matches();
    }

    /** The routes to {@code destinations} (IPv4 only), in their order. */
    static List<Route> lookupAll(List<InetAddress> destinations) throws LinkException {
        long[] sorted = destinations.stream().mapToLong(RouteGroups::bits).distinct().sorted().toArray();
        Map<Long, Route> routes = new HashMap<>(sorted.length * 2);
        List<InetAddress> alone = new ArrayList<>();
        Map<String, NetInterface> interfaces = new HashMap<>();
        int i = 0;
        while (i < sorted.length) {
            InetAddress first = address(sorted[i]);
            Route route = Routes.lookup(first, Optional.empty());
            routes.put(sorted[i], route);
            Map<String, String> entry = Routes.parse(Routes.run(
                    List.of("ip", "-4", "-j", "route", "get", "fibmatch", Routes.literal(first)), first));
            Prefix prefix = Prefix.parse(entry.get("dst"));
            int end = i + 1;
            while (end < sorted.length && prefix.contains(sorted[end])) {
                end++;
            }
            if (end > i + 1 && sharable(entry, route)) {
                List<Prefix> inner = innerPrefixes(prefix, first);
                for (int k = i + 1; k < end; k++) {
                    InetAddress destination = address(sorted[k]);
                    if (inner.stream().anyMatch(p -> p.contains(bits(destination)))) {
                        alone.add(destination);
                    } else {
                        routes.put(sorted[k], new Route(destination, route.netInterface(), route.source(),
                                route.gateway(), route.local()));
                    }
                }
            } else {
                for (int k = i + 1; k < end; k++) {
                    alone.add(address(sorted[k]));
                }
            }
            i = end;
        }
        List<Route> asked = RouteBatch.lookupEach(alone, Optional.empty());
        for (int k = 0; k < alone.size(); k++) {
            routes.put(bits(alone.get(k)), asked.get(k));
        }
        List<Route> ordered = new ArrayList<>(destinations.size());
        for (InetAddress destination : destinations) {
            ordered.add(routes.get(bits(destination)));
        }
        return ordered;
    }

    /**
     * Whether every address under the entry leaves the way the first one does: one next hop and a
     * source that does not depend on the destination (a gateway's, or the entry's own), and not a
     * multipath entry.
     */
    private static boolean sharable(Map<String, String> entry, Route first) {
        boolean multipath = entry.containsKey("nexthops");
        boolean sourceFixed = entry.containsKey("gateway") || entry.containsKey("prefsrc");
        return !multipath && sourceFixed && entry.get("dev") != null
                && entry.get("dev").equals(first.netInterface().name())
                && entry.getOrDefault("gateway", "").equals(first.gateway().map(Routes::literal).orElse(""));
    }

    /** The prefixes of every table's entries inside {@code prefix} and longer than it. */
    private static List<Prefix> innerPrefixes(Prefix prefix, InetAddress any) throws LinkException {
        String json = Routes.run(List.of("ip", "-4", "-j", "route", "show", "table", "all", "root", prefix.text()),
                any);
        List<Prefix> inner = new ArrayList<>();
        Matcher m = OBJECT.matcher(json);
        while (m.find()) {
            Prefix p = Prefix.parse(Routes.parse(m.group()).get("dst"));
            if (p.length > prefix.length) {
                inner.add(p);
            }
        }
        return inner;
    }

    private static long bits(InetAddress address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static InetAddress address(long bits) {
        byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** An IPv4 prefix as ip prints it: "default", "a.b.c.d" (a host) or "a.b.c.d/n". */
    private record Prefix(long network, int length) {
        static Prefix parse(String text) {
            if (text == null || text.equals("default")) {
                return new Prefix(0, 0);
            }
            int slash = text.indexOf('/');
            int length = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
            long address = bits(Routes.parseLiteral(slash < 0 ? text : text.substring(0, slash)));
            return new Prefix(address & mask(length), length);
        }

        boolean contains(long address) {
            return (address & mask(length)) == network;
        }

        String text() {
            return Routes.literal(address(network)) + "/" + length;
        }

        private static long mask(int length) {
            return length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
        }
    }
}
