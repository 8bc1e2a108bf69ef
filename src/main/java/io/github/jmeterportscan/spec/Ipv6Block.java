package io.github.jmeterportscan.spec;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/** An IPv6 CIDR block (one address when no mask or a mask above 128, as in nmap). */
final class Ipv6Block {
    private final byte[] first;
    private final int hostBits;
    private final int scopeId;

    private Ipv6Block(byte[] first, int hostBits, int scopeId) {
        this.first = first;
        this.hostBits = hostBits;
        this.scopeId = scopeId;
    }

    /** @param bits prefix length; negative or above 128 means the single address */
    static Ipv6Block of(Inet6Address address, int bits) {
        int prefix = bits < 0 || bits > 128 ? 128 : bits;
        byte[] start = address.getAddress();
        for (int i = 0; i < 16; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            start[i] = (byte) (start[i] & mask);
        }
        return new Ipv6Block(start, 128 - prefix, address.getScopeId());
    }

    /** Number of addresses, saturated at Long.MAX_VALUE. */
    long count() {
        return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
    }

    boolean contains(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        int prefix = 128 - hostBits;
        for (int i = 0; i < 16; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            if ((address[i] & mask) != (first[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** Each address in ascending order; callers bound the count first. */
    void forEach(Consumer<Inet6Address> consumer) {
        BigInteger base = new BigInteger(1, first);
        long n = count();
        for (long i = 0; i < n; i++) {
            consumer.accept(toAddress(base.add(BigInteger.valueOf(i))));
        }
    }

    private Inet6Address toAddress(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        try {
            // A scope of -1 means "none"; 0 would print as "%0".
            return Inet6Address.getByAddress(null, bytes, scopeId > 0 ? scopeId : -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16-byte address rejected", e);
        }
    }
}
