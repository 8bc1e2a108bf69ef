package io.github.jmeterportscan.link;

import io.github.jmeterportscan.scan.ScanException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM-wide registry of shared captures: at most one pcap handle per interface, opened by the
 * first link that needs it and closed when the last one lets go. Opening and closing are rare
 * (once per link), so one lock for the registry is enough.
 */
final class Captures {
    private static final Map<String, Capture> OPEN = new HashMap<>();
    private static long handlesOpened;

    private Captures() {
    }

    static synchronized Capture acquire(NetInterface netInterface, InetAddress source) throws ScanException {
        Capture capture = OPEN.get(netInterface.name());
        if (capture != null && capture.isAlive()) {
            capture.retain(source);
            return capture;
        }
        // A capture whose thread died (interface went away) stays in its links' hands until they
        // close; new links get a fresh handle.
        capture = Capture.open(netInterface, source);
        handlesOpened++;
        OPEN.put(netInterface.name(), capture);
        return capture;
    }

    static synchronized void release(Capture capture, InetAddress source) {
        if (capture.release(source)) {
            OPEN.remove(capture.interfaceName(), capture);
        }
    }

    /** How many pcap handles this JVM has opened so far; for tests and diagnostics. */
    static synchronized long handlesOpened() {
        return handlesOpened;
    }

    /** The live shared capture on {@code interfaceName}, or null. */
    static synchronized Capture current(String interfaceName) {
        return OPEN.get(interfaceName);
    }
}
