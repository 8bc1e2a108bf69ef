package io.github.jmeterportscan.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Addresses given with --exclude / --excludefile (nbase addrset_add_spec): IP literals with an
 * optional CIDR mask, nmap's IPv4 octet ranges, or host names (every address of the scan's family
 * is excluded). Unlike targets, a bad exclude specification stops the scan.
 */
public final class ExcludeList {
    private final List<Ipv4Ranges> ipv4 = new ArrayList<>();
    private final List<Ipv6Block> ipv6 = new ArrayList<>();

    private ExcludeList() {
    }

    /** An exclude list that excludes nothing. */
    public static ExcludeList empty() {
        return new ExcludeList();
    }

    /**
     * Parses exclude specifications, each one a single expression (the --exclude value is split
     * on commas by the command line parser, as nmap does).
     *
     * @throws ScanSpecException with nmap's message for the first bad specification
     */
    public static ExcludeList parse(List<String> specs, boolean ipv6Scan, HostResolver resolver)
            throws ScanSpecException {
        ExcludeList list = new ExcludeList();
        for (String spec : specs) {
            list.add(spec, ipv6Scan, resolver);
        }
        return list;
    }

    private void add(String spec, boolean ipv6Scan, HostResolver resolver) throws ScanSpecException {
        int slash = spec.indexOf('/');
        String host = slash < 0 ? spec : spec.substring(0, slash);
        long bits = -1;
        if (slash >= 0) {
            CNumberConversions.LongPrefix n = Ipv4Ranges.parseLong(spec, slash + 1);
            if (n.outOfRange() || n.end() != spec.length() || n.end() == slash + 1) {
                throw new ScanSpecException("Error parsing netmask in \"" + spec + "\".");
            }
            bits = n.value();
        }
        // A plain address of the scan's family first, then octet ranges, then a name.
        Optional<? extends InetAddress> literal = ipv6Scan ? AddressLiterals.ipv6(host) : AddressLiterals.ipv4(host);
        if (literal.isPresent()) {
            if (bits > (ipv6Scan ? 128 : 32)) {
                throw new ScanSpecException("Illegal netmask in \"" + spec
                        + "\". Must be smaller than address bit length.");
            }
            addAddress(literal.get(), (int) bits);
            return;
        }
        Optional<Ipv4Ranges> ranges = Ipv4Ranges.parse(host);
        if (ranges.isPresent()) {
            if (bits > 32) {
                throw new ScanSpecException("Illegal netmask in \"" + spec + "\". Must be between 0 and 32.");
            }
            ipv4.add(ranges.get().withNetmask((int) bits));
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = AddressLiterals.ipv6(host).isPresent() || !HostResolver.mayBeName(host) ? new InetAddress[0]
                    : resolver.resolve(host);
        } catch (UnknownHostException | SecurityException e) {
            addresses = new InetAddress[0];
        }
        List<InetAddress> ofFamily = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (ipv6Scan == (a instanceof Inet6Address)) {
                ofFamily.add(a);
            }
        }
        if (ofFamily.isEmpty()) {
            throw new ScanSpecException("Error resolving name \"" + host + "\": Name or service not known");
        }
        for (InetAddress a : ofFamily) {
            if (a instanceof Inet4Address && bits > 32) {
                throw new ScanSpecException("Illegal netmask in \"" + spec + "\". Must be between 0 and 32.");
            }
            if (a instanceof Inet6Address && bits > 128) {
                throw new ScanSpecException("Illegal netmask in \"" + spec + "\". Must be between 0 and 128.");
            }
            addAddress(a, (int) bits);
        }
    }

    private void addAddress(InetAddress address, int bits) {
        if (address instanceof Inet6Address v6) {
            ipv6.add(Ipv6Block.of(v6, bits));
        } else {
            ipv4.add(Ipv4Ranges.single(address.getAddress()).withNetmask(bits));
        }
    }

    public boolean contains(InetAddress address) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet6Address) {
            return ipv6.stream().anyMatch(b -> b.contains(raw));
        }
        return ipv4.stream().anyMatch(r -> r.contains(raw));
    }

    public boolean isEmpty() {
        return ipv4.isEmpty() && ipv6.isEmpty();
    }
}
