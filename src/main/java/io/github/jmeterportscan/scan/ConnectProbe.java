package io.github.jmeterportscan.scan;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connect() in flight: the channel, which port and try it is, and when it left. Owned by the
 * scan loop; {@link #finish()} closes the channel exactly once.
 */
final class ConnectProbe {
    final HostScan host;
    /** The port's index in the host's port list. */
    final int index;
    final int port;
    final int tryNo;
    final long sentNanos;
    final SocketChannel channel;
    SelectionKey key;
    private boolean finished;

    ConnectProbe(HostScan host, int index, int tryNo, long sentNanos, SocketChannel channel) {
        this.host = host;
        this.index = index;
        this.port = host.ports[index];
        this.tryNo = tryNo;
        this.sentNanos = sentNanos;
        this.channel = channel;
    }

    boolean isFinished() {
        return finished;
    }

    /**
     * Closes the channel (with SO_LINGER 0 set at open, the kernel answers an established
     * connection with RST and keeps no TIME_WAIT). Idempotent.
     */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do about a failed close of a probe socket; the descriptor is gone anyway.
        }
    }
}
