package io.github.jmeterportscan.link;

import io.github.jmeterportscan.probe.ProbeTemplate;
import java.net.InetAddress;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The BPF program text of a shared capture: what the kernel hands over, so that everything else
 * is dropped before it costs a copy.
 *
 * <ul>
 * <li>To one of our source addresses: TCP segments other than bare SYNs and probe-shaped ACKs
 * (a bare SYN never answers a probe), ICMP and ICMPv6 errors.</li>
 * <li>From one of our source addresses: our probes themselves (window
 * {@value ProbeTemplate#WINDOW}, a bare SYN or a bare ACK), whose capture time is when the probe
 * went on the wire, the start of its round trip. On lo, which hands the capture only arriving
 * packets, that is the probe's arrival.</li>
 * <li>On Ethernet, ARP replies, for next-hop resolution.</li>
 * </ul>
 * The filter does not test the direction: libpcap's "inbound" and "outbound" match nothing on
 * this kind of capture here; the addresses and the probes' shape tell enough.
 */
final class CaptureFilter {
    private static final String PROBE_FLAGS = "& 0x17 = 0x02 or %1$s & 0x17 = 0x10";
    private static final String PROBES = "((ip and tcp and tcp[14:2] = " + ProbeTemplate.WINDOW + " and (tcp[13] "
            + String.format(PROBE_FLAGS, "tcp[13]") + "))"
            + " or (ip6 and ip6[6] = 6 and ip6[54:2] = " + ProbeTemplate.WINDOW + " and (ip6[53] "
            + String.format(PROBE_FLAGS, "ip6[53]") + ")))";
    private static final String REPLIES = "((ip and tcp and tcp[13] & 0x16 != 0x02)"
            + " or (ip6 and tcp and not (ip6[6] == 6 and ip6[53] & 0x16 == 0x02)) or icmp or icmp6)";

    private CaptureFilter() {
    }

    static String expression(Collection<InetAddress> sources, boolean ethernet) {
        String replies = "(not " + PROBES + " and " + REPLIES + " and (" + hosts("dst", sources) + "))";
        String probes = "(" + PROBES + " and (" + hosts("src", sources) + "))";
        String ip = replies + " or " + probes;
        return ethernet ? ip + " or (arp and arp[6:2] = 2)" : ip;
    }

    private static String hosts(String direction, Collection<InetAddress> sources) {
        return sources.stream().map(a -> direction + " host " + Routes.literal(a)).collect(Collectors.joining(" or "));
    }
}
