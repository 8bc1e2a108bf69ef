package io.github.jmeterportscan.spec;

import java.util.List;

/**
 * How the scan decides which targets are up before it scans their ports, with nmap's options.
 *
 * @param skip       -Pn: every target is taken as up and nothing is sent to find out
 * @param pingOnly   -sn: discovery is the whole scan; no port is scanned
 * @param echo       -PE: ICMP echo request
 * @param timestamp  -PP: ICMP timestamp request
 * @param synPorts   -PS: TCP SYN probes to these ports (unprivileged: connects to them)
 * @param ackPorts   -PA: TCP ACK probes to these ports
 * @param arp        ARP (IPv4) or neighbor solicitation (IPv6) for targets on a directly connected
 *                   Ethernet network, in place of the probes above; off with --disable-arp-ping
 * @param defaulted  no probe option was given: the probes are nmap's defaults, and unprivileged
 *                   scans connect to 80 and 443 instead
 */
public record HostDiscovery(boolean skip, boolean pingOnly, boolean echo, boolean timestamp, List<Integer> synPorts,
        List<Integer> ackPorts, boolean arp, boolean defaulted) {

    /** -Pn: today's behaviour of every front end that does not ask for discovery. */
    public static final HostDiscovery SKIP = new HostDiscovery(true, false, false, false, List.of(), List.of(), false,
            false);

    /** nmap's default discovery: -PE -PS443 -PA80 -PP, ARP/ND on the local network. */
    public static final HostDiscovery DEFAULT = new HostDiscovery(false, false, true, true, List.of(443), List.of(80),
            true, true);

    /** nmap's port for -PS and -PA without a list, and for unprivileged discovery when only ICMP was asked. */
    public static final int DEFAULT_TCP_PROBE_PORT = 80;

    /** The ports an unprivileged discovery connects to when no probe option was given. */
    public static final List<Integer> DEFAULT_CONNECT_PORTS = List.of(80, 443);

    public HostDiscovery {
        synPorts = List.copyOf(synPorts);
        ackPorts = List.copyOf(ackPorts);
    }

    /** The same discovery as the scan's only job (-sn), or not. */
    public HostDiscovery withPingOnly(boolean only) {
        return new HostDiscovery(skip, only, echo, timestamp, synPorts, ackPorts, arp, defaulted);
    }

    /**
     * The TCP ports an unprivileged discovery connects to, as nmap's: 80 and 443 by default; else
     * the -PS and -PA ports (a connect is the only TCP probe there is), or 80 when only ICMP was
     * asked for.
     */
    public List<Integer> connectPorts() {
        if (defaulted) {
            return DEFAULT_CONNECT_PORTS;
        }
        java.util.LinkedHashSet<Integer> ports = new java.util.LinkedHashSet<>(synPorts);
        ports.addAll(ackPorts);
        return ports.isEmpty() ? List.of(DEFAULT_TCP_PROBE_PORT) : List.copyOf(ports);
    }
}
