package io.github.jmeterportscan.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Expands nmap target expressions into hosts, with nmap's rules (TargetGroup.cc): IPv4 octet
 * ranges and '*' (IPv4 scans only), IPv4/IPv6 CIDR blocks, IPv6 literals (only with -6: without
 * it nmap refuses them), and host names, of which the first address of the scan's family is used
 * (the mask, if any, applies around it; only that address carries the name). Expressions that
 * yield nothing are reported and skipped, like nmap, which goes on with the others.
 *
 * <p>Deviation: nmap enumerates any block lazily (even 0.0.0.0/0); we build a list, so the total
 * is capped ({@link #DEFAULT_MAX_ADDRESSES} unless configured) and exceeding it is an error.
 */
public final class TargetExpander {
    /** 2^20 addresses: a /12 of IPv4 or a /108 of IPv6. */
    public static final int DEFAULT_MAX_ADDRESSES = 1 << 20;

    private final HostResolver resolver;
    private final int maxAddresses;

    public TargetExpander() {
        this(HostResolver.SYSTEM, DEFAULT_MAX_ADDRESSES);
    }

    public TargetExpander(HostResolver resolver, int maxAddresses) {
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be >= 1");
        }
        this.resolver = resolver;
        this.maxAddresses = maxAddresses;
    }

    /** Expands the request's targets minus its excludes. */
    public TargetExpansion expand(ScanRequest request) throws ScanSpecException {
        return expand(request.targets(), request.excludes(), request.ipv6(), request.verbosity());
    }

    /**
     * @throws ScanSpecException for a bad exclude specification (nmap quits) or when the targets
     *                           exceed the address cap
     */
    public TargetExpansion expand(List<String> expressions, List<String> excludes, boolean ipv6, int verbosity)
            throws ScanSpecException {
        ExcludeList excluded = ExcludeList.parse(excludes, ipv6, resolver);
        List<Target> targets = new ArrayList<>();
        List<TargetExpansion.Failure> failures = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (String expression : expressions) {
            Optional<Block> block = parse(expression, ipv6, verbosity, messages);
            if (block.isEmpty()) {
                failures.add(new TargetExpansion.Failure(expression, decisive(messages)));
                continue;
            }
            long count = block.get().count();
            if (count > maxAddresses - targets.size()) {
                throw new ScanSpecException("Too many targets: \"" + expression + "\" brings the total above "
                        + maxAddresses + " addresses, the most this scanner expands at once. Split the scan.");
            }
            block.get().addTo(targets, excluded);
        }
        return new TargetExpansion(targets, failures, messages);
    }

    private static final String BARE_DASH = "Bare '-': did you put a space between '--'?";

    private static String decisive(List<String> messages) {
        String last = messages.get(messages.size() - 1);
        return last.equals(BARE_DASH) ? messages.get(messages.size() - 2) : last;
    }

    /** A parsed expression: addresses plus the user's name for one of them. */
    private record Block(Ipv4Ranges v4, Ipv6Block v6, Optional<String> name, Optional<InetAddress> named) {
        long count() {
            return v4 != null ? v4.count() : v6.count();
        }

        void addTo(List<Target> out, ExcludeList excluded) {
            if (v4 != null) {
                v4.forEach(value -> add(out, excluded, AddressLiterals.ipv4(value)));
            } else {
                v6.forEach(a -> add(out, excluded, a));
            }
        }

        private void add(List<Target> out, ExcludeList excluded, InetAddress address) {
            if (excluded.contains(address)) {
                return;
            }
            boolean isNamed = named.isPresent() && named.get().equals(address);
            out.add(new Target(address, isNamed ? name : Optional.empty()));
        }
    }

    private Optional<Block> parse(String expression, boolean ipv6, int verbosity, List<String> messages) {
        int slash = expression.lastIndexOf('/');
        String host = expression;
        int bits = -1;
        if (slash >= 0) {
            CNumberConversions.LongPrefix n = Ipv4Ranges.parseLong(expression, slash + 1);
            if (n.end() == slash + 1 || n.end() != expression.length() || n.value() < 0
                    || n.value() > Integer.MAX_VALUE) {
                messages.add("Unable to split netmask from target expression: \"" + expression + "\"");
                return Optional.empty();
            }
            bits = (int) n.value();
            host = expression.substring(0, slash);
        }
        if (!ipv6 && bits > 32) {
            messages.add("Illegal netmask in \"" + expression + "\". Assuming /32 (one host)");
            bits = -1;
        }
        if (!ipv6) {
            Optional<Ipv4Ranges> ranges = Ipv4Ranges.parse(host);
            if (ranges.isPresent()) {
                return Optional.of(new Block(ranges.get().withNetmask(bits), null, Optional.empty(),
                        Optional.empty()));
            }
        }
        Optional<Inet6Address> literal = AddressLiterals.ipv6(host);
        if (literal.isPresent()) {
            if (!ipv6) {
                messages.add(host + " looks like an IPv6 target specification -- you have to use the -6 option.");
                return Optional.empty();
            }
            return Optional.of(new Block(null, Ipv6Block.of(literal.get(), bits), Optional.empty(),
                    Optional.empty()));
        }
        return resolveName(host, bits, ipv6, verbosity, messages);
    }

    private Optional<Block> resolveName(String name, int bits, boolean ipv6, int verbosity, List<String> messages) {
        InetAddress[] all;
        try {
            all = HostResolver.mayBeName(name) ? resolver.resolve(name) : new InetAddress[0];
        } catch (UnknownHostException | SecurityException e) {
            all = new InetAddress[0];
        }
        InetAddress chosen = null;
        for (InetAddress a : all) {
            if (ipv6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
                chosen = a;
                break;
            }
        }
        if (chosen == null) {
            if (all.length > 0) {
                messages.add(ipv6
                        ? "Warning: Hostname " + name + " resolves, but not to any IPv6 address. Try scanning without -6"
                        : "Warning: Hostname " + name + " resolves, but not to any IPv4 address. Try scanning with -6");
            }
            messages.add("Failed to resolve \"" + name + "\".");
            if (name.equals("-")) {
                messages.add(BARE_DASH);
            }
            return Optional.empty();
        }
        if (all.length > 1 && verbosity > 1) {
            messages.add("Warning: Hostname " + name + " resolves to " + all.length + " IPs. Using "
                    + chosen.getHostAddress() + ".");
        }
        Optional<String> userName = Optional.of(name);
        if (chosen instanceof Inet6Address v6) {
            return Optional.of(new Block(null, Ipv6Block.of(v6, bits), userName, Optional.of(chosen)));
        }
        return Optional.of(new Block(Ipv4Ranges.single(chosen.getAddress()).withNetmask(bits), null, userName,
                Optional.of(chosen)));
    }
}
