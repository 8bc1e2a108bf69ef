package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What we need to know about an interface to pick a way of sending: its kind of link, MTU and
 * Ethernet address.
 *
 * @param hardwareAddress present for Ethernet links only
 */
public record NetInterface(String name, int index, int mtu, Kind kind, Optional<MacAddress> hardwareAddress) {

    /** How frames are framed on the link; decides between a raw IP socket and pcap injection. */
    public enum Kind {
        /** Ethernet framing: we build the frame ourselves and need the next hop's MAC. */
        ETHERNET,
        /** Linux {@code lo}: pcap injection toward 127/8 is dropped as martian, so a raw IP socket is used. */
        LOOPBACK,
        /** tun, ppp, sit, wireguard...: no link header we could build; a raw IP socket is used. */
        OTHER
    }

    /** Linux ARPHRD_* values from /sys/class/net/IF/type. */
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;

    /**
     * Looks an interface up by name.
     *
     * @throws LinkException with nmap's wording when it does not exist or is down
     */
    public static NetInterface byName(String name) throws LinkException {
        NetworkInterface nif;
        try {
            nif = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            nif = null;
        }
        if (nif == null) {
            throw new LinkException("I cannot figure out what source address to use for device " + name
                    + ", does it even exist?");
        }
        try {
            if (!nif.isUp()) {
                throw new LinkException("Could not find interface " + name + " which was specified by -e"
                        + " (the interface is down)");
            }
            Kind kind = kindOf(name, nif);
            Optional<MacAddress> mac = Optional.empty();
            if (kind == Kind.ETHERNET) {
                byte[] hw = nif.getHardwareAddress();
                if (hw == null || hw.length != 6) {
                    throw new LinkException("interface " + name + " is Ethernet but has no Ethernet address");
                }
                mac = Optional.of(MacAddress.of(hw));
            }
            return new NetInterface(name, nif.getIndex(), nif.getMTU(), kind, mac);
        } catch (SocketException e) {
            throw new LinkException("interface " + name + " disappeared while being inspected: " + e.getMessage(), e);
        }
    }

    /**
     * The kernel's own hardware type is the reliable answer (Java reports no MAC for lo and a MAC
     * for some non-Ethernet links); the loopback flag is the fallback when /sys is not mounted.
     */
    private static Kind kindOf(String name, NetworkInterface nif) throws SocketException {
        try {
            int type = Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "type")).trim());
            return switch (type) {
                case ARPHRD_ETHER -> Kind.ETHERNET;
                case ARPHRD_LOOPBACK -> Kind.LOOPBACK;
                default -> Kind.OTHER;
            };
        } catch (IOException | NumberFormatException e) {
            if (nif.isLoopback()) {
                return Kind.LOOPBACK;
            }
            byte[] hw = nif.getHardwareAddress();
            return hw != null && hw.length == 6 ? Kind.ETHERNET : Kind.OTHER;
        }
    }
}
