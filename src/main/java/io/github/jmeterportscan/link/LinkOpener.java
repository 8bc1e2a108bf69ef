package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens links along routes already looked up, for one scan or discovery: the MAC address of each
 * next hop is resolved once however many hosts lie behind it. Not thread-safe.
 */
public final class LinkOpener {
    private final Map<InetAddress, MacAddress> resolved = new HashMap<>();

    /**
     * The link along {@code route}: a {@link RawSocketLink} on loopback and non-Ethernet links, a
     * {@link PcapLink} on Ethernet.
     *
     * @throws LinkException when raw access is impossible or the next hop's MAC address cannot be found
     */
    public PacketLink open(Route route) throws LinkException {
        Links.requireRawAccess();
        return Links.open(route, resolved);
    }
}
