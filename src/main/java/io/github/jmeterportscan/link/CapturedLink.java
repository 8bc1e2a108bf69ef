package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/** What both kinds of link share: a route, and a share of the interface's capture. */
abstract class CapturedLink implements PacketLink {
    protected final Route route;
    protected final Capture capture;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final OpenSubscriptions subscriptions = new OpenSubscriptions();

    CapturedLink(Route route, Capture capture) {
        this.route = route;
        this.capture = capture;
    }

    Route route() {
        return route;
    }

    @Override
    public InetAddress sourceAddress() {
        return route.source();
    }

    @Override
    public String interfaceName() {
        return route.netInterface().name();
    }

    @Override
    public Subscription subscribe(PacketHandler handler) throws IOException {
        checkOpen();
        return subscriptions.track(capture.subscribe(new AddressedHandler(route.source(), handler)));
    }

    @Override
    public Subscription subscribe(PacketHandler handler, int firstPort, int count) throws IOException {
        return subscriptions.track(subscribeUntracked(handler, firstPort, count));
    }

    /**
     * A subscription that closing this link does not close: for a {@link LinkPool} lease, which
     * tracks and closes its own, and ends before the pooled link can close. Tracking it here too
     * would put every scan of every JMeter thread through one shared set, twice.
     */
    Subscription subscribeUntracked(PacketHandler handler, int firstPort, int count) throws IOException {
        checkOpen();
        return capture.subscribe(new AddressedHandler(route.source(), handler), firstPort, count);
    }

    private void checkOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("link to " + Routes.literal(route.destination()) + " is closed");
        }
    }

    @Override
    public CaptureWaitProtocol captureReader() {
        return capture.reader();
    }

    @Override
    public CaptureStats captureStats() {
        return capture.stats();
    }

    @Override
    public CaptureStats recentCaptureStats() {
        return capture.recentStats();
    }

    protected boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeSender();
            subscriptions.closeAll();
            Captures.release(capture, route.source());
        }
    }

    /** Releases what the sending side holds; called once. */
    protected abstract void closeSender();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + Routes.literal(route.destination()) + " via "
                + interfaceName() + " from " + Routes.literal(route.source())
                + route.gateway().map(g -> " gateway " + Routes.literal(g)).orElse("") + "]";
    }
}
