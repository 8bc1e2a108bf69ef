package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source addresses a capture's filter admits, with how many links hold each: the filter text
 * changes only when an address comes or goes. Not thread-safe: the capture guards it.
 */
final class CaptureAddresses {
    private final boolean ethernet;
    private final Map<InetAddress, Integer> holders = new LinkedHashMap<>();
    private int references;

    CaptureAddresses(boolean ethernet) {
        this.ethernet = ethernet;
    }

    /** Adds one holder of {@code source}; true when the address is new, so the filter must widen. */
    boolean add(InetAddress source) {
        int count = holders.getOrDefault(source, 0);
        holders.put(source, count + 1);
        references++;
        return count == 0;
    }

    /** Drops one holder of {@code source}; true when it was the last, so the filter may narrow. */
    boolean remove(InetAddress source) {
        int count = holders.getOrDefault(source, 0);
        if (count <= 1) {
            holders.remove(source);
        } else {
            holders.put(source, count - 1);
        }
        references--;
        return count == 1;
    }

    /** Holders over all addresses: the capture closes when none is left. */
    int references() {
        return references;
    }

    /** The BPF program text that admits exactly these addresses' traffic ({@link CaptureFilter}). */
    String filterExpression() {
        return CaptureFilter.expression(holders.keySet(), ethernet);
    }
}
