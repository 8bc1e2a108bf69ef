package io.github.jmeterportscan.spec;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * nmap's host discovery options as a command line gives them (-sn, -P*, --disable-arp-ping), read
 * one by one, with nmap's messages; {@link #discovery} is what they add up to.
 */
final class PingOptions {
    private final ServiceTable services;
    private boolean pingOnly;
    private boolean skipDiscovery;
    private boolean echoPing;
    private boolean timestampPing;
    private List<Integer> synPingPorts;
    private List<Integer> ackPingPorts;
    private boolean arpPing = true;

    PingOptions(ServiceTable services) {
        this.services = services;
    }

    /** -sn: discovery is the whole scan. */
    void pingOnly() {
        pingOnly = true;
    }

    boolean isPingOnly() {
        return pingOnly;
    }

    /** --disable-arp-ping. */
    void disableArpPing() {
        arpPing = false;
    }

    /**
     * One -P option: which probes decide that a host is up (or -Pn: none).
     *
     * @param deprecated told (given, replacement) for a deprecated spelling
     * @param warnings   where warnings go
     */
    void ping(Getopt.Option o, int verbose, BiConsumer<String, String> deprecated, List<String> warnings)
            throws ScanSpecException {
        String v = o.value();
        if (v == null || v.isEmpty()) {
            deprecated.accept("P", "PE");
            echoPing = true;
            return;
        }
        char kind = v.charAt(0);
        if (v.length() > 1 && "STAUYBO".indexOf(kind) < 0) {
            throw new ScanSpecException("Unknown -P option -P" + v + ".");
        }
        switch (kind) {
            case 'I' -> {
                deprecated.accept("PI", "PE");
                echoPing = true;
            }
            case 'E' -> echoPing = true;
            case 'P' -> timestampPing = true;
            case '0', 'N', 'D', 'n' -> {
                if (kind != 'n') {
                    deprecated.accept("P" + kind, "Pn");
                }
                if (verbose > 0) {
                    warnings.add("Host discovery disabled (-Pn). All addresses will be marked 'up' and scan "
                            + "times may be slower.");
                }
                skipDiscovery = true;
            }
            case 'R' -> {
                if (verbose > 0) {
                    warnings.add("The -PR option is deprecated. ARP scan is always done when possible.");
                }
            }
            case 'S' -> {
                if (synPingPorts != null) {
                    throw new ScanSpecException("Only one -PS option is allowed. Combine port ranges with commas.");
                }
                synPingPorts = pingPorts(v.substring(1), "-PS");
            }
            case 'T', 'A' -> {
                if (kind == 'T') {
                    deprecated.accept("PT", "PA");
                }
                if (ackPingPorts != null) {
                    throw new ScanSpecException("Only one -PA or -PB option is allowed. Combine port ranges with "
                            + "commas.");
                }
                ackPingPorts = pingPorts(v.substring(1), "-PA");
            }
            default -> throw new ScanSpecException("Host discovery probes (" + o.spelled() + ") are not supported by "
                    + "this scanner, which finds hosts with ARP/ND, ICMP echo and timestamp (-PE, -PP) and "
                    + "TCP SYN and ACK probes (-PS, -PA).");
        }
    }

    /** A -PS/-PA port list in ascending order; nmap's port 80 when the list is left out. */
    private List<Integer> pingPorts(String list, String option) throws ScanSpecException {
        if (list.isEmpty()) {
            return List.of(HostDiscovery.DEFAULT_TCP_PROBE_PORT);
        }
        PortSet ports;
        try {
            ports = new PortSpecParser(services).parse(list).tcp();
        } catch (ScanSpecException e) {
            throw new ScanSpecException("Bogus argument to " + option + ": " + list);
        }
        if (ports.isEmpty()) {
            throw new ScanSpecException("Bogus argument to " + option + ": " + list);
        }
        return ports.stream().boxed().toList();
    }

    /** The discovery the options describe; nmap's defaults when no probe was named. */
    HostDiscovery discovery() {
        if (skipDiscovery) {
            return HostDiscovery.SKIP.withPingOnly(pingOnly);
        }
        boolean named = echoPing || timestampPing || synPingPorts != null || ackPingPorts != null;
        if (!named) {
            return new HostDiscovery(false, pingOnly, true, true, List.of(443), List.of(80), arpPing, true);
        }
        return new HostDiscovery(false, pingOnly, echoPing, timestampPing,
                synPingPorts == null ? List.of() : synPingPorts, ackPingPorts == null ? List.of() : ackPingPorts,
                arpPing, false);
    }
}
