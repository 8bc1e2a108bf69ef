package io.github.jmeterportscan.spec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One host to scan: its address and, when the user named it, the name as typed (nmap shows it as
 * the "user" hostname).
 */
public record Target(InetAddress address, Optional<String> userHostname) {

    public Target {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(userHostname, "userHostname");
    }

    public static Target of(InetAddress address) {
        return new Target(address, Optional.empty());
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The address as nmap prints it (no brackets, no scope for global addresses). */
    public String addressString() {
        return AddressFormat.toNmapString(address);
    }

    /** "name (addr)" when named, else "addr", as in nmap's "Nmap scan report for ...". */
    public String displayName() {
        return userHostname.map(name -> name + " (" + addressString() + ")").orElse(addressString());
    }
}
