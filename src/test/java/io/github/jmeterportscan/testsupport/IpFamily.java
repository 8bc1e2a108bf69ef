package io.github.jmeterportscan.testsupport;

/** The two address families a lab serves; nmap selects IPv6 with {@code -6}. */
public enum IpFamily {
    V4("ipv4"),
    V6("ipv6");

    private final String nmapAddrType;

    IpFamily(String nmapAddrType) {
        this.nmapAddrType = nmapAddrType;
    }

    /** The value of nmap's {@code <address addrtype=...>} for this family. */
    public String nmapAddrType() {
        return nmapAddrType;
    }

    /** The value nftables' {@code meta nfproto} takes for this family ("ipv4", "ipv6"). */
    String nfproto() {
        return nmapAddrType;
    }
}
