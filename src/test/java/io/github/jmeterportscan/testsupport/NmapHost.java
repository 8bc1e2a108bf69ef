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
 * @param userHostname the name the user gave for this target ({@code <hostname type="user">}), if any
 * @param startTime    the {@code starttime} attribute, in seconds since the epoch; 0 if missing
 * @param endTime      the {@code endtime} attribute, in seconds since the epoch; 0 if missing
 * @param timedOut     whether nmap gave up on the host ({@code timedout="true"}, --host-timeout)
 * @param times        the {@code <times>} element, if written
 */
public record NmapHost(String address, String addressType, Optional<String> mac, String status, String statusReason,
        List<NmapPort> ports, Optional<String> userHostname, long startTime, long endTime, boolean timedOut,
        Optional<Times> times) {
    /** nmap's timing estimates for the host, in microseconds ({@code <times srtt rttvar to>}). */
    public record Times(long srtt, long rttvar, long to) {
    }

    public NmapHost {
        Objects.requireNonNull(address, "address");
        ports = List.copyOf(ports);
        Objects.requireNonNull(userHostname, "userHostname");
        Objects.requireNonNull(times, "times");
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
