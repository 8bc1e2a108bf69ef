package io.github.jmeterportscan.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One CIDR network of a {@link Scope}: an IPv4 or IPv6 address and a prefix length; a bare address
 * is the network of that one host. The address is the network's first one (no host bits set).
 */
public record Network(InetAddress address, int prefixLength) {

    public Network {
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0-" + max);
        }
        if (!Arrays.equals(address.getAddress(), masked(address.getAddress(), prefixLength))) {
            throw new IllegalArgumentException(address + "/" + prefixLength + " has host bits set");
        }
    }

    /**
     * Reads "198.18.0.0/24", "2001:db8::/64" or a bare address ("198.18.0.5", "::1"). Names are
     * refused: what a scan may probe must not depend on a name server.
     *
     * @param origin where the text comes from ("--scope"), for the message
     * @throws ScanSpecException naming the origin, the text and what is wrong with it
     */
    static Network parse(String text, String origin) throws ScanSpecException {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        if (literal.indexOf('%') >= 0) {
            throw new ScanSpecException(origin + ": \"" + text + "\" names an interface (%): a scope lists"
                    + " networks by address only");
        }
        Optional<? extends InetAddress> parsed = literal.indexOf(':') >= 0 ? AddressLiterals.ipv6(literal)
                : AddressLiterals.ipv4(literal);
        if (parsed.isEmpty()) {
            throw new ScanSpecException(origin + ": \"" + text + "\" is not an IPv4 or IPv6 address or CIDR"
                    + " network (names are not taken: the scope must not depend on DNS)");
        }
        InetAddress address = parsed.get();
        int max = address instanceof Inet4Address ? 32 : 128;
        int bits = max;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(length) > max) {
                throw new ScanSpecException(origin + ": \"" + text + "\" has a bad prefix length: an "
                        + (max == 32 ? "IPv4" : "IPv6") + " network takes /0 to /" + max);
            }
            bits = Integer.parseInt(length);
        }
        byte[] network = masked(address.getAddress(), bits);
        if (!Arrays.equals(network, address.getAddress())) {
            String first = AddressFormat.toNmapString(of(network));
            throw new ScanSpecException(origin + ": \"" + text + "\" has host bits set: write the network ("
                    + first + "/" + bits + ") or the one host (" + AddressFormat.toNmapString(address) + ")");
        }
        return new Network(of(network), bits);
    }

    /** Whether {@code candidate} (of either family) lies in this network; a family never contains the other. */
    public boolean contains(InetAddress candidate) {
        byte[] bytes = candidate.getAddress();
        byte[] mine = address.getAddress();
        return bytes.length == mine.length && Arrays.equals(masked(bytes, prefixLength), mine);
    }

    /** "198.18.0.0/24", "2001:db8::/64"; a one-host network as its bare address ("::1"). */
    @Override
    public String toString() {
        String text = AddressFormat.toNmapString(address);
        return prefixLength == address.getAddress().length * 8 ? text : text + "/" + prefixLength;
    }

    private static byte[] masked(byte[] bytes, int prefixLength) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
            out[i] = (byte) (out[i] & (keep == 0 ? 0 : 0xff << (8 - keep)));
        }
        return out;
    }

    private static InetAddress of(byte[] bytes) {
        try {
            // Raw bytes: no name lookup, and 16 bytes stay IPv6 (getByAddress keeps ::ffff:a.b.c.d as IPv4).
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1)
                    : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address was refused", e);
        }
    }
}
