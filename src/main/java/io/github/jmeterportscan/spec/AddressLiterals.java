package io.github.jmeterportscan.spec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Recognises IP literals without ever asking a name server. */
final class AddressLiterals {
    private AddressLiterals() {
    }

    /**
     * The IPv6 literal (with optional %scope) the text spells, if any. Java resolves only
     * strings that start like a literal without a lookup, so anything else is refused here.
     */
    static Optional<Inet6Address> ipv6(String text) {
        if (text.isEmpty() || text.indexOf(':') < 0 || text.startsWith("[")) {
            return Optional.empty();
        }
        char c = text.charAt(0);
        if (Character.digit(c, 16) < 0 && c != ':') {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%') {
                break; // a zone may be an interface name
            }
            if (Character.digit(ch, 16) < 0 && ch != ':' && ch != '.') {
                return Optional.empty();
            }
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            if (address instanceof Inet6Address v6) {
                return Optional.of(v6);
            }
            if (address instanceof Inet4Address v4) {
                // Java turns ::ffff:a.b.c.d into IPv4; nmap keeps it an IPv6 address.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
                return Optional.of(Inet6Address.getByAddress(null, mapped, -1));
            }
            return Optional.empty();
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** A dotted-quad IPv4 literal ("a.b.c.d", decimal), if the text is exactly one. */
    static Optional<Inet4Address> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) v;
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    static Inet4Address ipv4(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
