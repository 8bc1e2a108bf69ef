package io.github.jmeterportscan.link;

import java.util.HashMap;
import java.util.Map;

/**
 * The send-only packet sockets in use, one per interface and EtherType, shared by every link that
 * sends on it: a sweep of thousands of hosts opens one descriptor, not one per host. Counted
 * references; the last release closes the socket.
 */
final class PacketSockets {
    private record Key(int interfaceIndex, int etherType) {
    }

    private static final class Held {
        final PacketSocket socket;
        int references;

        Held(PacketSocket socket) {
            this.socket = socket;
        }
    }

    private static final Map<Key, Held> OPEN = new HashMap<>();

    private PacketSockets() {
    }

    static synchronized PacketSocket acquire(NetInterface netInterface, int etherType) throws LinkException {
        Key key = new Key(netInterface.index(), etherType);
        Held held = OPEN.get(key);
        if (held == null) {
            held = new Held(PacketSocket.open(netInterface, etherType));
            OPEN.put(key, held);
        }
        held.references++;
        return held.socket;
    }

    /** Gives back one reference to {@code socket}; closes it when it was the last. */
    static synchronized void release(PacketSocket socket) {
        var entries = OPEN.entrySet().iterator();
        while (entries.hasNext()) {
            Held held = entries.next().getValue();
            if (held.socket == socket) {
                if (--held.references == 0) {
                    entries.remove();
                    socket.close();
                }
                return;
            }
        }
    }
}
