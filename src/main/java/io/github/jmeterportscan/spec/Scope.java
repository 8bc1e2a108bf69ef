package io.github.jmeterportscan.spec;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The networks a scan may probe, as one rule gives them (the command line's {@code --scope}, or
 * the JMeter property {@code portscan.scope}): a target outside them is refused before anything is
 * sent toward it. A scan may carry several scopes; a target must then lie in every one, so a rule
 * added later (a test plan's own --scope) can narrow the engine's scope and never widen it.
 *
 * @param origin   the rule's name as the user knows it ("--scope", "portscan.scope"), for messages
 * @param networks at least one network
 */
public record Scope(String origin, List<Network> networks) {

    public Scope {
        Objects.requireNonNull(origin, "origin");
        networks = List.copyOf(networks);
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("a scope names at least one network");
        }
    }

    /**
     * Reads a comma-separated list of CIDR networks and addresses, IPv4 and IPv6 mixed
     * ("198.18.0.0/24, 2001:db8::/64, ::1"); blanks around an entry are ignored. An empty list is
     * refused rather than read as "no limit": an unset CI variable in {@code --scope "$NETS"}
     * must not lift the limit.
     *
     * @throws ScanSpecException naming the origin and the entry that is wrong
     */
    public static Scope parse(String text, String origin) throws ScanSpecException {
        if (text.isBlank()) {
            throw new ScanSpecException(origin + " is empty: list the networks a scan may probe, e.g. "
                    + "198.18.0.0/24,2001:db8::/64 (a bare address is one host)");
        }
        List<Network> networks = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                throw new ScanSpecException(origin + ": empty entry in \"" + text
                        + "\" (networks are separated by single commas)");
            }
            networks.add(Network.parse(trimmed, origin));
        }
        return new Scope(origin, networks);
    }

    public boolean contains(InetAddress address) {
        for (Network network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The networks as the rule is written back: "198.18.0.0/24,::1". */
    public String networkList() {
        return networks.stream().map(Network::toString).collect(Collectors.joining(","));
    }

    /** What a refusal says about the target: "is outside the scope 198.18.0.0/24,::1 (--scope)". */
    public String outsideText() {
        return "is outside the scope " + networkList() + " (" + origin + ")";
    }
}
