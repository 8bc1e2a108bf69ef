package io.github.jmeterportscan.link;

import io.github.jmeterportscan.probe.DecodedPacket;
import io.github.jmeterportscan.probe.PacketDecoder;
import io.github.jmeterportscan.probe.ProbeTemplate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A capture's handlers that want only the packets to some local ports: TCP segments to them, our
 * probes leaving from them, and ICMP errors quoting a segment from them. Every scan has its own
 * source ports, so with many JMeter threads scanning through one interface a reply is decoded here
 * once and handed to its one scan, instead of to every handler, each decoding it to find it is not
 * theirs.
 *
 * <p>Subscribing and unsubscribing are copy-on-write per port and may happen on any thread;
 * {@link #handlersFor} runs under the capture's reader lock only.
 */
final class LocalPortDispatch {
    private static final int PORTS = 65_536;

    private final AtomicReferenceArray<PacketHandler[]> byPort = new AtomicReferenceArray<>(PORTS);
    private final AtomicInteger routes = new AtomicInteger();
    /** Reused for every frame, by whichever thread holds the capture's reader lock. */
    private final DecodedPacket decoded = new DecodedPacket();

    void add(PacketHandler handler, int firstPort, int count) {
        checkRange(firstPort, count);
        for (int port = firstPort; port < firstPort + count; port++) {
            byPort.updateAndGet(port, current -> {
                if (current == null) {
                    return new PacketHandler[] {handler};
                }
                PacketHandler[] next = Arrays.copyOf(current, current.length + 1);
                next[current.length] = handler;
                return next;
            });
        }
        routes.incrementAndGet();
    }

    /** Undoes one {@link #add} with the same arguments. */
    void remove(PacketHandler handler, int firstPort, int count) {
        for (int port = firstPort; port < firstPort + count; port++) {
            byPort.updateAndGet(port, current -> without(current, handler));
        }
        routes.decrementAndGet();
    }

    private static PacketHandler[] without(PacketHandler[] current, PacketHandler handler) {
        if (current == null) {
            return null;
        }
        for (int i = 0; i < current.length; i++) {
            if (current[i] == handler) {
                if (current.length == 1) {
                    return null;
                }
                PacketHandler[] next = new PacketHandler[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                return next;
            }
        }
        return current;
    }

    /** The packet {@link #handlersFor} decoded last; valid until its next call. */
    DecodedPacket decoded() {
        return decoded;
    }

    /** The handlers of the packet's local port, or null (also when nobody routes by port). */
    PacketHandler[] handlersFor(byte[] frame, int ipOffset, int length) {
        if (routes.get() == 0 || !PacketDecoder.decode(frame, ipOffset, length, decoded)) {
            return null;
        }
        // A reply comes to our port; our own probe, seen leaving, and an ICMP error quoting it
        // come from it.
        int port = decoded.kind == DecodedPacket.TCP && !ProbeTemplate.looksLikeProbe(decoded.flags, decoded.window)
                ? decoded.dstPort : decoded.srcPort;
        return byPort.get(port);
    }

    private static void checkRange(int firstPort, int count) {
        if (firstPort < 0 || count < 1 || firstPort + count > PORTS) {
            throw new IllegalArgumentException("ports " + firstPort + " + " + count + " are not within 0-65535");
        }
    }
}
