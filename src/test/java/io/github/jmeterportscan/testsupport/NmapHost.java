package io.github.jmeterportscan.testsupport;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One {@code <host>} of an nmap XML file.
 *
 * @param address      the IPv4 or IPv6 address, as written
 * @param addressType  "ipv4" or "ipv6"
 * @param mac          the MAC address nmap saw, if it wrote one
 * @param status       the host state ("up", "down")
 * @param statusReason why nmap thinks so ("user-set" with -Pn, "arp-response", ...)
 * @param ports        every port, explicit and expanded from {@code <extraports>}, ascending by
 *                     protocol then number
 */
public record NmapHost(String address, String addressType, Optional<String> mac, String status, String statusReason,
        List<NmapPort> ports) {
    public NmapHost {
        Objects.requireNonNull(address, "address");
        ports = List.copyOf(ports);
    }

    /** The TCP ports by number. */
    public NavigableMap<Integer, NmapPort> tcp() {
        NavigableMap<Integer, NmapPort> tcp = new TreeMap<>();
        for (NmapPort port : ports) {
            if (port.protocol().equals("tcp")) {
                tcp.put(port.port(), port);
            }
        }
        return Collections.unmodifiableNavigableMap(tcp);
    }

    /** The TCP port {@code port}; fails if nmap wrote nothing about it. */
    public NmapPort tcp(int port) {
        NmapPort found = tcp().get(port);
        if (found == null) {
            throw new IllegalArgumentException("host " + address + " has no tcp port " + port + " in the XML");
        }
        return found;
    }

    /** State and reason of every TCP port, by number: the shape most comparisons want. */
    public NavigableMap<Integer, Outcome> tcpOutcomes() {
        NavigableMap<Integer, Outcome> outcomes = new TreeMap<>();
        tcp().forEach((number, port) -> outcomes.put(number, port.outcome()));
        return Collections.unmodifiableNavigableMap(outcomes);
    }
}
