package io.github.jmeterportscan.testsupport;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The address blocks a lab lives in: an IPv4 /24 inside 198.18.0.0/15 and an IPv6 /64 inside
 * 2001:db8::/32, the two ranges set aside for benchmarking and documentation, so a lab can never
 * reach or impersonate a real host. Within each block, host number 1 is the root-namespace side
 * of the veth, 2 the namespace side, and 16-31 (IPv6: ::10-::1f) the optional extra targets, a
 * /28 (IPv6: /124).
 */
public record LabSubnets(String ipv4Cidr, String ipv6Cidr) {
    public static final int EXTRA_TARGET_BASE = 16;
    public static final int MAX_EXTRA_TARGETS = 16;

    public LabSubnets {
        networkBytes(ipv4Cidr, IpFamily.V4);
        networkBytes(ipv6Cidr, IpFamily.V6);
    }

    public static LabSubnets of(String ipv4Cidr, String ipv6Cidr) {
        return new LabSubnets(ipv4Cidr, ipv6Cidr);
    }

    public String cidr(IpFamily family) {
        return family == IpFamily.V4 ? ipv4Cidr : ipv6Cidr;
    }

    public int prefixLength(IpFamily family) {
        return family == IpFamily.V4 ? 24 : 64;
    }

    /** Host number {@code host} (1-255) of the block; e.g. host 2 of 198.18.20.0/24 is 198.18.20.2. */
    public InetAddress address(IpFamily family, int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("host number out of range 1-254: " + host);
        }
        byte[] bytes = networkBytes(cidr(family), family);
        bytes[bytes.length - 1] = (byte) host;
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks that {@code cidr} ("198.18.10.64/26", "2001:db8:10::100:70/128"; a bare address counts
     * as a single host) lies inside 198.18.0.0/15 or 2001:db8::/32, the only ranges a lab may use.
     *
     * @return the literal's family
     */
    public static IpFamily checkLabRange(String cidr) {
        int slash = cidr.indexOf('/');
        String literal = slash < 0 ? cidr : cidr.substring(0, slash);
        IpFamily family = literal.contains(":") ? IpFamily.V6 : IpFamily.V4;
        int maxLength = family == IpFamily.V4 ? 32 : 128;
        int minLength = family == IpFamily.V4 ? 15 : 32;
        boolean looksRight = family == IpFamily.V4 ? literal.matches("[0-9.]+") : literal.matches("[0-9A-Fa-f:]+");
        int length;
        try {
            length = slash < 0 ? maxLength : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + cidr, e);
        }
        if (!looksRight || length < minLength || length > maxLength) {
            throw new IllegalArgumentException("not an address block inside 198.18.0.0/15 or 2001:db8::/32: " + cidr);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress(); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + cidr, e);
        }
        boolean inRange = family == IpFamily.V4
                ? bytes.length == 4 && (bytes[0] & 0xff) == 198 && ((bytes[1] & 0xfe) == 18)
                : bytes.length == 16 && (bytes[0] & 0xff) == 0x20 && bytes[1] == 0x01
                        && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8;
        if (!inRange) {
            throw new IllegalArgumentException("labs use only 198.18.0.0/15 and 2001:db8::/32: " + cidr);
        }
        return family;
    }

    private static byte[] networkBytes(String cidr, IpFamily family) {
        if (cidr == null) {
            throw new IllegalArgumentException("missing " + family + " block");
        }
        int slash = cidr.indexOf('/');
        int wantedLength = family == IpFamily.V4 ? 24 : 64;
        if (slash < 0 || !cidr.substring(slash + 1).equals(Integer.toString(wantedLength))) {
            throw new IllegalArgumentException("a lab's " + family + " block must be a /" + wantedLength + ": " + cidr);
        }
        String literal = cidr.substring(0, slash);
        boolean looksRight = family == IpFamily.V4 ? literal.matches("[0-9.]+") : literal.matches("[0-9A-Fa-f:]+");
        if (!looksRight) {
            throw new IllegalArgumentException("not an " + family + " literal: " + cidr);
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(literal); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address block: " + cidr, e);
        }
        byte[] bytes = network.getAddress();
        if (family == IpFamily.V4) {
            boolean inRange = network instanceof Inet4Address && (bytes[0] & 0xff) == 198
                    && ((bytes[1] & 0xff) == 18 || (bytes[1] & 0xff) == 19);
            if (!inRange || bytes[3] != 0) {
                throw new IllegalArgumentException("IPv4 lab block must be a x.y.z.0/24 inside 198.18.0.0/15: " + cidr);
            }
        } else {
            boolean inRange = network instanceof Inet6Address && (bytes[0] & 0xff) == 0x20 && bytes[1] == 0x01
                    && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8;
            boolean hostPartZero = Arrays.equals(Arrays.copyOfRange(bytes, 8, 16), new byte[8]);
            if (!inRange || !hostPartZero) {
                throw new IllegalArgumentException("IPv6 lab block must be a /64 inside 2001:db8::/32: " + cidr);
            }
        }
        return bytes;
    }
}
