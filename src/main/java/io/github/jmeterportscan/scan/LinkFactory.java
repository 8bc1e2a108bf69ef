package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.link.PacketLink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Opens the raw packet path toward a destination (route, source address, capture). */
@FunctionalInterface
public interface LinkFactory {
    PacketLink open(InetAddress destination, Optional<String> interfaceName) throws LinkException;

    /**
     * The links toward {@code destinations}, in their order; on failure none stays open. A factory
     * that can look many routes up at once overrides this.
     */
    default List<PacketLink> openAll(List<InetAddress> destinations, Optional<String> interfaceName)
            throws LinkException {
        List<PacketLink> links = new ArrayList<>(destinations.size());
        try {
            for (InetAddress destination : destinations) {
                links.add(open(destination, interfaceName));
            }
        } catch (LinkException | RuntimeException e) {
            links.forEach(PacketLink::close);
            throw e;
        }
        return links;
    }

    /** The kernel's links: routes from the kernel, raw sockets and shared captures. */
    static LinkFactory kernel() {
        return new LinkFactory() {
            @Override
            public PacketLink open(InetAddress destination, Optional<String> interfaceName) throws LinkException {
                return Links.open(destination, interfaceName);
            }

            @Override
            public List<PacketLink> openAll(List<InetAddress> destinations, Optional<String> interfaceName)
                    throws LinkException {
                return Links.openAll(destinations, interfaceName);
            }
        };
    }
}
