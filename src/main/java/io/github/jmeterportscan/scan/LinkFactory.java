package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.link.PacketLink;
import java.net.InetAddress;
import java.util.Optional;

/** Opens the raw packet path toward a destination (route, source address, capture). */
@FunctionalInterface
public interface LinkFactory {
    PacketLink open(InetAddress destination, Optional<String> interfaceName) throws LinkException;
}
