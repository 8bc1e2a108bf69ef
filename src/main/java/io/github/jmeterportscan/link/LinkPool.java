package io.github.jmeterportscan.link;

import io.github.jmeterportscan.scan.ScanException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Raw-socket links kept open per route while captures are retained (a JMeter test: many short
 * scans of the same few destinations). Opening one costs a socket, a setsockopt, a share of the
 * capture under its registry lock, and a close afterwards: for a one-port scan, more than its
 * probe. Scans on the same route share the socket (sendto from several threads at once is safe,
 * and each scan still has its own capture subscription); the socket closes when the last
 * retention has ended and no scan uses it any more. The CLI never retains, so it never pools.
 *
 * <p>Lock order: {@link Captures} may call in here while holding its lock; this class never
 * calls {@link Captures} (opening or closing a link) while holding its own.
 */
final class LinkPool {
    private static final class Entry {
        final RawSocketLink link;
        int users;
        /** Taken out of the pool (retention ended, or the link went bad): close at zero users. */
        boolean evicted;

        Entry(RawSocketLink link) {
            this.link = link;
        }
    }

    private static final Map<Route, Entry> POOL = new HashMap<>();
    private static boolean enabled;

    private LinkPool() {
    }

    /** Called by {@link Captures} when the first retention starts and the last one ends. */
    static void setEnabled(boolean on) {
        List<RawSocketLink> idle = new ArrayList<>();
        synchronized (LinkPool.class) {
            enabled = on;
            if (on) {
                return;
            }
            for (Entry entry : POOL.values()) {
                entry.evicted = true;
                if (entry.users == 0) {
                    idle.add(entry.link);
                }
            }
            POOL.clear();
        }
        idle.forEach(RawSocketLink::close);
    }

    /** A raw-socket link on {@code route}: a shared one while pooling, else a link of its own. */
    static PacketLink open(Route route) throws ScanException {
        RawSocketLink stale = null;
        synchronized (LinkPool.class) {
            if (!enabled) {
                return null;
            }
            Entry entry = POOL.get(route);
            if (entry != null && entry.link.isUsable()) {
                entry.users++;
                return new Lease(entry);
            }
            if (entry != null) {
                // Its capture died (the interface went away): new scans get a fresh link.
                POOL.remove(route);
                entry.evicted = true;
                if (entry.users == 0) {
                    stale = entry.link;
                }
            }
        }
        if (stale != null) {
            stale.close();
        }
        RawSocketLink fresh = RawSocketLink.open(route);
        boolean pooled;
        Entry entry = new Entry(fresh);
        entry.users = 1;
        synchronized (LinkPool.class) {
            pooled = enabled && !POOL.containsKey(route);
            if (pooled) {
                POOL.put(route, entry);
            } else {
                entry.evicted = true;
            }
        }
        return pooled ? new Lease(entry) : fresh;
    }

    /** The link that actually sends for {@code link} (itself unless pooled); for tests. */
    static PacketLink underlying(PacketLink link) {
        return link instanceof Lease lease ? lease.entry.link : link;
    }

    /** How many pooled links there are; for tests. */
    static synchronized int size() {
        return POOL.size();
    }

    private static void returned(Entry entry) {
        boolean close;
        synchronized (LinkPool.class) {
            entry.users--;
            close = entry.users == 0 && entry.evicted;
        }
        if (close) {
            entry.link.close();
        }
    }

    /** One scan's use of a pooled link: closing it ends the scan's subscriptions, not the socket. */
    private static final class Lease implements PacketLink {
        private final Entry entry;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

        Lease(Entry entry) {
            this.entry = entry;
        }

        @Override
        public java.net.InetAddress sourceAddress() {
            return entry.link.sourceAddress();
        }

        @Override
        public String interfaceName() {
            return entry.link.interfaceName();
        }

        @Override
        public void send(byte[] datagram, int offset, int length) throws IOException {
            if (closed.get()) {
                throw new IOException("link to " + Routes.literal(entry.link.route().destination()) + " is closed");
            }
            entry.link.send(datagram, offset, length);
        }

        @Override
        public Subscription subscribe(PacketHandler handler) throws IOException {
            if (closed.get()) {
                throw new IOException("link to " + Routes.literal(entry.link.route().destination()) + " is closed");
            }
            Subscription inner = entry.link.subscribe(handler);
            Subscription outer = new Subscription() {
                @Override
                public void close() {
                    subscriptions.remove(this);
                    inner.close();
                }
            };
            subscriptions.add(outer);
            return outer;
        }

        @Override
        public CaptureStats captureStats() {
            return entry.link.captureStats();
        }

        @Override
        public Optional<String> destinationMacAddress() {
            return entry.link.destinationMacAddress();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                // Handlers left subscribed would keep receiving other scans' packets.
                for (Subscription s : List.copyOf(subscriptions)) {
                    s.close();
                }
                returned(entry);
            }
        }

        @Override
        public String toString() {
            return "pooled " + entry.link;
        }
    }
}
