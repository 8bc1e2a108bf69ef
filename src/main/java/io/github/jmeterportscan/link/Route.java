package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The kernel's answer to "how would you send to {@code destination}".
 *
 * @param gateway empty when the destination is on-link (or local)
 * @param local   the destination is one of this host's own addresses (routed through lo)
 */
public record Route(InetAddress destination, NetInterface netInterface, InetAddress source,
        Optional<InetAddress> gateway, boolean local) {

    /** Where the frame goes on the wire: the gateway, or the destination itself when on-link. */
    public InetAddress nextHop() {
        return gateway.orElse(destination);
    }

    public boolean directlyConnected() {
        return gateway.isEmpty();
    }
}
