package io.github.jmeterportscan.link;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide registry of shared captures: at most one pcap handle per interface, opened by the
 * first link that needs it and closed when the last one lets go. Opening and closing are rare
 * (once per link), so one lock for the registry is enough.
 */
final class Captures {
    private static final Logger LOG = LoggerFactory.getLogger(Captures.class);
    private static final Map<String, Capture> OPEN = new HashMap<>();
    /** Captures kept open by retentions, with the source address each extra reference is held for. */
    private static final Map<Capture, InetAddress> RETAINED = new IdentityHashMap<>();
    private static long handlesOpened;
    private static int retentions;

    private Captures() {
    }

    static synchronized Capture acquire(NetInterface netInterface, InetAddress source) throws LinkException {
        Capture capture = OPEN.get(netInterface.name());
        if (capture != null && capture.isAlive()) {
            capture.retain(source);
        } else {
            // A capture whose thread died (interface went away) stays in its links' hands until
            // they close; new links get a fresh handle.
            capture = Capture.open(netInterface, source);
            handlesOpened++;
            OPEN.put(netInterface.name(), capture);
        }
        if (retentions > 0 && !RETAINED.containsKey(capture)) {
            try {
                // The extra reference uses an address the capture already filters for, so the
                // filter does not change.
                capture.retain(source);
                RETAINED.put(capture, source);
            } catch (LinkException e) {
                // The link itself holds its reference; only the keep-alive is lost.
                LOG.debug("cannot keep the capture on {} open: {}", netInterface.name(), e.getMessage());
            }
        }
        return capture;
    }

    /** Starts a retention: captures used from now on stay open until the last retention ends. */
    static synchronized CaptureRetention retain() {
        if (retentions++ == 0) {
            RouteCache.setEnabled(true);
            ConnectedBroadcasts.setCaching(true);
            LinkPool.setEnabled(true);
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                endRetention();
            }
        };
    }

    private static synchronized void endRetention() {
        if (--retentions > 0) {
            return;
        }
        RouteCache.setEnabled(false);
        ConnectedBroadcasts.setCaching(false);
        // Closes the pooled sockets no scan uses (their captures are released below or by them).
        LinkPool.setEnabled(false);
        for (Map.Entry<Capture, InetAddress> held : RETAINED.entrySet()) {
            release(held.getKey(), held.getValue());
        }
        RETAINED.clear();
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
