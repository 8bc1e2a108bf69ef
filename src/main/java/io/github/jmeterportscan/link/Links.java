package io.github.jmeterportscan.link;

import io.github.jmeterportscan.scan.ScanException;
import java.net.InetAddress;
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
     * @throws ScanException when raw access is impossible, the interface is unknown or down, there
     *                       is no route, or the next hop's MAC address cannot be found
     */
    public static PacketLink open(InetAddress destination, Optional<String> interfaceName) throws ScanException {
        Optional<String> problem = RawAccess.problem();
        if (problem.isPresent()) {
            throw new ScanException(problem.get());
        }
        Route route = RouteCache.lookup(destination, interfaceName);
        if (route.netInterface().kind() == NetInterface.Kind.ETHERNET) {
            return PcapLink.open(route);
        }
        PacketLink pooled = LinkPool.open(route);
        return pooled != null ? pooled : RawSocketLink.open(route);
    }

    /**
     * The kernel's route toward {@code destination} (from the cache while captures are retained).
     *
     * @throws ScanException when there is no route or the interface is unknown
     */
    public static Route route(InetAddress destination, Optional<String> interfaceName) throws ScanException {
        return RouteCache.lookup(destination, interfaceName);
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
