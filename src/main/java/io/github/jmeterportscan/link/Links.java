package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** Opens the right kind of link toward a destination. */
public final class Links {
    private Links() {
    }

    /**
     * Looks up the route, then opens a {@link RawSocketLink} on loopback and non-Ethernet links (as
     * nmap does) or a {@link PcapLink} on Ethernet, sharing the interface's capture.
     *
     * @param interfaceName nmap's {@code -e}
     * @throws LinkException when raw access is impossible, the interface is unknown or down, there
     *                       is no route, or the next hop's MAC address cannot be found
     */
    public static PacketLink open(InetAddress destination, Optional<String> interfaceName) throws LinkException {
        requireRawAccess();
        return open(RouteCache.lookup(destination, interfaceName), new HashMap<>(2));
    }

    /**
     * {@link #open} for many destinations at once: the routes come from one batch lookup. On failure
     * the links opened so far are closed.
     */
    public static List<PacketLink> openAll(List<InetAddress> destinations, Optional<String> interfaceName)
            throws LinkException {
        if (destinations.size() == 1) {
            return List.of(open(destinations.get(0), interfaceName));
        }
        requireRawAccess();
        List<Route> routes = RouteCache.lookupAll(destinations, interfaceName);
        List<PacketLink> links = new ArrayList<>(routes.size());
        LinkOpener opener = new LinkOpener();
        try {
            for (Route route : routes) {
                links.add(opener.open(route));
            }
        } catch (LinkException | RuntimeException e) {
            links.forEach(PacketLink::close);
            throw e;
        }
        return links;
    }

    static void requireRawAccess() throws LinkException {
        Optional<String> problem = RawAccess.problem();
        if (problem.isPresent()) {
            throw new LinkException(problem.get());
        }
    }

    static PacketLink open(Route route, Map<InetAddress, MacAddress> resolved) throws LinkException {
        if (route.netInterface().kind() == NetInterface.Kind.ETHERNET) {
            return PcapLink.open(route, resolved);
        }
        PacketLink pooled = LinkPool.open(route);
        return pooled != null ? pooled : RawSocketLink.open(route);
    }

    /**
     * The kernel's route toward {@code destination} (from the cache while captures are retained).
     *
     * @throws LinkException when there is no route or the interface is unknown
     */
    public static Route route(InetAddress destination, Optional<String> interfaceName) throws LinkException {
        return RouteCache.lookup(destination, interfaceName);
    }

    /**
     * The kernel's routes toward {@code destinations}, in their order, looked up together (one
     * process for all of them).
     *
     * @throws LinkException when one of them has no route, or an interface is unknown
     */
    public static List<Route> routes(List<InetAddress> destinations, Optional<String> interfaceName)
            throws LinkException {
        return RouteCache.lookupAll(destinations, interfaceName);
    }

    /**
     * Keeps the shared captures that scans open from now on alive until the returned retention
     * (and every other open one) is closed. Meant for a test run of many short scans: JMeter's
     * sampler holds one from test start to test end.
     */
    public static CaptureRetention retainCaptures() {
        return Captures.retain();
    }
}
