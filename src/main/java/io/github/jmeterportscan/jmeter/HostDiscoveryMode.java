package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.spec.ScanSpecException;
import java.util.List;
import java.util.Locale;

/**
 * The sampler's host-discovery field. The default is none (-Pn): a reachability gate must scan a
 * host that drops pings, and plans written before the field existed scanned without discovery.
 */
public enum HostDiscoveryMode {
    /** -Pn: every target is scanned, whether it answers pings or not. */
    NONE("none (-Pn)", List.of("-Pn")),
    /** nmap's discovery before the port scan: hosts found down are reported down and not scanned. */
    NMAP("nmap's (ARP/ND, ICMP, TCP)", List.of()),
    /** -sn: discovery only, one sample per host that says "host up" or "host down". */
    PING_ONLY("ping only (-sn)", List.of("-sn"));

    private final String tag;
    private final List<String> options;

    HostDiscoveryMode(String tag, List<String> options) {
        this.tag = tag;
        this.options = options;
    }

    public String tag() {
        return tag;
    }

    /** The nmap options this mode adds to the command line. */
    List<String> options() {
        return options;
    }

    static String[] tags() {
        HostDiscoveryMode[] values = values();
        String[] tags = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            tags[i] = values[i].tag;
        }
        return tags;
    }

    /** Accepts the tag, its first word ("none", "nmap's", "ping"), -Pn or -sn, any case; blank means {@link #NONE}. */
    public static HostDiscoveryMode parse(String text) throws ScanSpecException {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return NONE;
        }
        for (HostDiscoveryMode mode : values()) {
            String first = mode.tag.split(" ")[0].toLowerCase(Locale.ROOT);
            if (t.equals(mode.tag.toLowerCase(Locale.ROOT)) || t.equals(first)
                    || !mode.options.isEmpty() && t.equals(mode.options.get(0).toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        if (t.equals("nmap")) {
            return NMAP;
        }
        throw new ScanSpecException("Unknown host discovery \"" + text.trim()
                + "\"; use none (-Pn), nmap's (ARP/ND, ICMP, TCP) or ping only (-sn)");
    }
}
