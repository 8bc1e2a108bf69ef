package io.github.jmeterportscan.link;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw-socket links kept open per route while captures are retained (a JMeter test: many short
 * scans of the same few destinations). Opening one costs a socket, a setsockopt, a share of the
 * capture under its registry lock, and a close afterwards: for a one-port scan, more than its
 * probe. Scans on the same route share the socket (sendto from several threads at once is safe,
 * and each scan still has its own capture subscription); the socket closes when the last
 * retention has ended and no scan uses it any more. The CLI never retains, so it never pools.
 *
 * <p>{@link Captures} calls in here while holding its lock; this class holds no lock of its own.
 */
final class LinkPool {
    /** Set in {@link Entry#state} once the entry left the pool; the low bits count users. */
    private static final int EVICTED = 1 << 30;

    private static final class Entry {
        final RawSocketLink link;
        /** Users, plus {@link #EVICTED}: lock-free, because every scan of every JMeter thread passes here. */
        final AtomicInteger state = new AtomicInteger(1);

        Entry(RawSocketLink link) {
            this.link = link;
        }

        /** Adds a user unless the entry was evicted. */
        boolean join() {
            while (true) {
                int s = state.get();
                if ((s & EVICTED) != 0) {
                    return false;
                }
                if (state.compareAndSet(s, s + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            if (state.decrementAndGet() == EVICTED) {
                link.close();
            }
        }

        /** Takes the entry out of service: the socket closes now if idle, else with its last user. */
        void evict() {
            int before = state.getAndUpdate(s -> s | EVICTED);
            if (before == 0) {
                link.close();
            }
        }
    }

    private static final Map<Route, Entry> POOL = new ConcurrentHashMap<>();
    private static volatile boolean enabled;

    private LinkPool() {
    }

    /** Called by {@link Captures} when the first retention starts and the last one ends. */
    static void setEnabled(boolean on) {
        enabled = on;
        if (!on) {
            for (Route route : List.copyOf(POOL.keySet())) {
                Entry entry = POOL.remove(route);
                if (entry != null) {
                    entry.evict();
                }
            }
        }
    }

    /** A raw-socket link on {@code route}: a shared one while pooling, else null. */
    static PacketLink open(Route route) throws LinkException {
        if (!enabled) {
            return null;
        }
        Entry entry = POOL.get(route);
        if (entry != null) {
            if (entry.link.isUsable() && entry.join()) {
                return new Lease(entry);
            }
            // Its capture died (the interface went away) or it is on its way out: replace it.
            if (POOL.remove(route, entry)) {
                entry.evict();
            }
        }
        RawSocketLink fresh = RawSocketLink.open(route);
        Entry created = new Entry(fresh);
        if (POOL.putIfAbsent(route, created) != null) {
            // Another scan pooled one meanwhile: this scan keeps its own link.
            return fresh;
        }
        if (!enabled && POOL.remove(route, created)) {
            // The retention ended meanwhile: the entry must not outlive it.
            created.evict();
        }
        return new Lease(created);
    }

    /** The link that actually sends for {@code link} (itself unless pooled); for tests. */
    static PacketLink underlying(PacketLink link) {
        return link instanceof Lease lease ? lease.entry.link : link;
    }

    /** How many pooled links there are; for tests. */
    static int size() {
        return POOL.size();
    }

    private static void returned(Entry entry) {
        entry.leave();
    }

    /** One scan's use of a pooled link: closing it ends the scan's subscriptions, not the socket. */
    private static final class Lease implements PacketLink {
        private final Entry entry;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final OpenSubscriptions subscriptions = new OpenSubscriptions();

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
            checkOpen();
            entry.link.send(datagram, offset, length);
        }

        @Override
        public void sendAll(byte[][] datagrams, int[] lengths, IOException[] failures, int from, int count) {
            try {
                checkOpen();
            } catch (IOException e) {
                java.util.Arrays.fill(failures, from, from + count, e);
                return;
            }
            entry.link.sendAll(datagrams, lengths, failures, from, count);
        }

        @Override
        public Subscription subscribe(PacketHandler handler) throws IOException {
            checkOpen();
            return subscriptions.track(entry.link.subscribe(handler));
        }

        @Override
        public Subscription subscribe(PacketHandler handler, int firstPort, int count) throws IOException {
            checkOpen();
            return subscriptions.track(entry.link.subscribeUntracked(handler, firstPort, count));
        }

        private void checkOpen() throws IOException {
            if (closed.get()) {
                throw new IOException("link to " + Routes.literal(entry.link.route().destination()) + " is closed");
            }
        }

        @Override
        public CaptureWaitProtocol captureReader() {
            return entry.link.captureReader();
        }

        @Override
        public CaptureStats captureStats() {
            return entry.link.captureStats();
        }

        @Override
        public CaptureStats recentCaptureStats() {
            return entry.link.recentCaptureStats();
        }

        @Override
        public Optional<String> destinationMacAddress() {
            return entry.link.destinationMacAddress();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                subscriptions.closeAll();
                returned(entry);
            }
        }

        @Override
        public String toString() {
            return "pooled " + entry.link;
        }
    }
}
