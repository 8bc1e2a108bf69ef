package io.github.jmeterportscan.link;

import io.github.jmeterportscan.probe.DecodedPacket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of one capture and the hand-over of each captured frame to them: handlers that see
 * every frame, and handlers that see only the frames to their local ports ({@link LocalPortDispatch}).
 * A handler that throws is counted and skipped, so one failing scan does not starve the others.
 */
final class CaptureHandlers implements PcapDirect.FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureHandlers.class);
    private static final PacketHandler[] NO_HANDLERS = new PacketHandler[0];

    private final String interfaceName;
    private final LinkHeader linkHeader;
    /**
     * Copy-on-write so that readers see it without locking, and updated by compare and set rather
     * than under a lock: every scan subscribes and unsubscribes, and concurrent JMeter threads
     * would otherwise queue on that lock.
     */
    private final AtomicReference<PacketHandler[]> everyFrame = new AtomicReference<>(NO_HANDLERS);
    private final LocalPortDispatch portRoutes = new LocalPortDispatch();
    private final AtomicLong errors = new AtomicLong();

    CaptureHandlers(String interfaceName, LinkHeader linkHeader) {
        this.interfaceName = interfaceName;
        this.linkHeader = linkHeader;
    }

    /** Adds a handler that sees every frame; closing the result is idempotent. */
    PacketLink.Subscription add(PacketHandler handler) {
        everyFrame.updateAndGet(current -> {
            PacketHandler[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = handler;
            return next;
        });
        return () -> remove(handler);
    }

    /**
     * Adds a handler that sees only frames to local ports [firstPort, firstPort + count);
     * closing the result is idempotent.
     */
    PacketLink.Subscription add(PacketHandler handler, int firstPort, int count) {
        portRoutes.add(handler, firstPort, count);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                portRoutes.remove(handler, firstPort, count);
            }
        };
    }

    private void remove(PacketHandler handler) {
        everyFrame.updateAndGet(current -> {
            for (int i = 0; i < current.length; i++) {
                if (current[i] == handler) {
                    PacketHandler[] next = new PacketHandler[current.length - 1];
                    System.arraycopy(current, 0, next, 0, i);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    return next;
                }
            }
            return current;
        });
    }

    /** The hot path: one call per captured frame, by the thread holding the capture's reader lock. */
    @Override
    public void frame(byte[] frame, int length, long epochNanos) {
        int offset = linkHeader.payloadOffset(frame, length);
        if (offset < 0) {
            return;
        }
        long wireNanos = WireClock.monotonicOf(epochNanos);
        deliver(everyFrame.get(), frame, offset, length, wireNanos);
        PacketHandler[] routed = portRoutes.handlersFor(frame, offset, length);
        if (routed != null) {
            deliverDecoded(routed, frame, offset, length, wireNanos);
        }
    }

    /** As {@link #deliver}, handing over the routing's decoded packet too (decoded once, not per handler). */
    private void deliverDecoded(PacketHandler[] handlers, byte[] frame, int offset, int length, long wireNanos) {
        DecodedPacket decoded = portRoutes.decoded();
        for (PacketHandler handler : handlers) {
            try {
                handler.onDecoded(decoded, frame, offset, length, wireNanos);
            } catch (RuntimeException e) {
                countError(e);
            }
        }
    }

    private void deliver(PacketHandler[] handlers, byte[] frame, int offset, int length, long wireNanos) {
        for (PacketHandler handler : handlers) {
            try {
                handler.onPacket(frame, offset, length, wireNanos);
            } catch (RuntimeException e) {
                countError(e);
            }
        }
    }

    private void countError(RuntimeException e) {
        if (errors.getAndIncrement() == 0) {
            LOG.error("a packet handler on {} failed; further failures are counted, not logged", interfaceName, e);
        }
    }

    long errors() {
        return errors.get();
    }
}
