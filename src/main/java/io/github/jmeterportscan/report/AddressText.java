package io.github.jmeterportscan.report;

import io.github.jmeterportscan.spec.Target;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses as nmap prints them (glibc inet_ntop): IPv6 in the compressed form "::1" rather than
 * Java's "0:0:0:0:0:0:0:1", which ndiff would take for a different host.
 */
final class AddressText {
    private AddressText() {
    }

    static String of(Target target) {
        return of(target.address());
    }

    /** "name (addr)" when the user named the host, else "addr". */
    static String displayName(Target target) {
        String address = of(target);
        return target.userHostname().map(name -> name + " (" + address + ")").orElse(address);
    }

    static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // The longest run of zero words (the first on ties), if at least two long, becomes "::".
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            // IPv4-compatible and IPv4-mapped addresses end in dotted quad, as glibc prints them.
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                out.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                        .append(b[14] & 0xff).append('.').append(b[15] & 0xff);
                break;
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            out.append(':');
        }
        return out.toString();
    }
}
