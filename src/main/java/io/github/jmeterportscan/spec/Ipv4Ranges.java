package io.github.jmeterportscan.spec;

import java.util.BitSet;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * nmap's IPv4 target notation: four octets, each "*" or a comma list of numbers and ranges with
 * open ends ("0-", "-5", "-"), optionally widened by a CIDR mask ("10.0.0-3.1/24"). Addresses
 * are produced in nmap's order: ascending, last octet fastest.
 */
final class Ipv4Ranges {
    private final BitSet[] octets;

    private Ipv4Ranges(BitSet[] octets) {
        this.octets = octets;
    }

    static Ipv4Ranges single(byte[] address) {
        BitSet[] o = new BitSet[4];
        for (int i = 0; i < 4; i++) {
            o[i] = new BitSet(256);
            o[i].set(address[i] & 0xff);
        }
        return new Ipv4Ranges(o);
    }

    /** Parses the octet notation; empty when the text is not in it (it may be a host name). */
    static Optional<Ipv4Ranges> parse(String spec) {
        BitSet[] o = {new BitSet(256), new BitSet(256), new BitSet(256), new BitSet(256)};
        int p = 0;
        int index = 0;
        int n = spec.length();
        while (p < n && index < 4) {
            if (spec.charAt(p) == '*') {
                o[index].set(0, 256);
                p++;
            } else {
                while (true) {
                    long start;
                    CNumberConversions.LongPrefix s = parseLong(spec, p);
                    if (s.end() == p) {
                        if (p < n && spec.charAt(p) == '-') {
                            start = 0;
                        } else {
                            return Optional.empty();
                        }
                    } else {
                        start = s.value();
                    }
                    if (s.outOfRange() || start < 0 || start > 255) {
                        return Optional.empty();
                    }
                    p = s.end() == p ? p : s.end();
                    long end;
                    if (p < n && spec.charAt(p) == '-') {
                        p++;
                        CNumberConversions.LongPrefix e = parseLong(spec, p);
                        end = e.end() == p ? 255 : e.value();
                        if (e.outOfRange() || end < 0 || end > 255 || end < start) {
                            return Optional.empty();
                        }
                        p = e.end();
                    } else {
                        end = start;
                    }
                    o[index].set((int) start, (int) end + 1);
                    if (p >= n || spec.charAt(p) != ',') {
                        break;
                    }
                    p++;
                }
            }
            index++;
            if (index < 4) {
                if (p >= n || spec.charAt(p) != '.') {
                    return Optional.empty();
                }
                p++;
            }
        }
        if (p != n || index < 4) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Ranges(o));
    }

    /** nbase parse_long: a decimal number that must start with a digit (no blanks, no sign). */
    static CNumberConversions.LongPrefix parseLong(String s, int from) {
        if (from >= s.length() || !CNumberConversions.isDigit(s.charAt(from))) {
            return new CNumberConversions.LongPrefix(0, from, false);
        }
        return CNumberConversions.strtol(s, from);
    }

    /**
     * Widens every octet set by the netmask (bits &lt; 0 means /32): for each host bit, values
     * differing only in that bit are added, so "198.18.3.4/24" becomes 198.18.3.0-255.
     */
    Ipv4Ranges withNetmask(int bits) {
        if (bits > 32) {
            return this;
        }
        int effective = bits < 0 ? 32 : bits;
        long mask = effective == 0 ? 0 : (0xFFFFFFFFL << (32 - effective)) & 0xFFFFFFFFL;
        BitSet[] out = new BitSet[4];
        for (int i = 0; i < 4; i++) {
            int octetMask = (int) ((mask >>> (24 - 8 * i)) & 0xff);
            out[i] = widen((BitSet) octets[i].clone(), octetMask);
        }
        return new Ipv4Ranges(out);
    }

    private static BitSet widen(BitSet bits, int mask) {
        for (int chunk = 1; chunk < 256; chunk <<= 1) {
            if ((mask & chunk) != 0) {
                continue;
            }
            for (int i = 0; i < 256; i += chunk * 2) {
                for (int j = 0; j < chunk; j++) {
                    if (bits.get(i + j)) {
                        bits.set(i + j + chunk);
                    } else if (bits.get(i + j + chunk)) {
                        bits.set(i + j);
                    }
                }
            }
        }
        return bits;
    }

    long count() {
        long c = 1;
        for (BitSet b : octets) {
            c *= b.cardinality();
        }
        return c;
    }

    boolean contains(byte[] address) {
        for (int i = 0; i < 4; i++) {
            if (!octets[i].get(address[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** Calls the consumer with each address as a 32-bit int, in nmap's order. */
    void forEach(IntConsumer consumer) {
        for (int a = octets[0].nextSetBit(0); a >= 0; a = octets[0].nextSetBit(a + 1)) {
            for (int b = octets[1].nextSetBit(0); b >= 0; b = octets[1].nextSetBit(b + 1)) {
                for (int c = octets[2].nextSetBit(0); c >= 0; c = octets[2].nextSetBit(c + 1)) {
                    for (int d = octets[3].nextSetBit(0); d >= 0; d = octets[3].nextSetBit(d + 1)) {
                        consumer.accept(a << 24 | b << 16 | c << 8 | d);
                    }
                }
            }
        }
    }
}
