package io.github.jmeterportscan.link;

import java.util.HashMap;
import java.util.IdentityHashMap;
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
    /** Each open socket's key, to find its entry on release. */
    private static final Map<PacketSocket, Key> KEYS = new IdentityHashMap<>();

    private PacketSockets() {
    }

    static synchronized PacketSocket acquire(NetInterface netInterface, int etherType) throws LinkException {
        Key key = new Key(netInterface.index(), etherType);
        Held held = OPEN.get(key);
        if (held == null) {
            held = new Held(PacketSocket.open(netInterface, etherType));
            OPEN.put(key, held);
            KEYS.put(held.socket, key);
        }
        held.references++;
        return held.socket;
    }

    /** Gives back one reference to {@code socket}; closes it when it was the last. */
    static synchronized void release(PacketSocket socket) {
        Key key = KEYS.get(socket);
        if (key == null) {
            return;
        }
        Held held = OPEN.get(key);
        if (--held.references == 0) {
            OPEN.remove(key);
            KEYS.remove(socket);
            socket.close();
        }
    }
}
