package io.github.jmeterportscan.jmeter.it;

import io.github.jmeterportscan.testsupport.ProcessSockets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches processes from outside while they run: every few milliseconds it reads each one's sockets from /proc
 * ({@link ProcessSockets}) and keeps the most packet (pcap) and raw sockets each held at once. A process that has
 * exited is skipped.
 */
final class SocketWatch implements AutoCloseable {
    /** The most sockets of each kind one process held at a time. */
    record Peak(int packet, int raw, int readings) {
        Peak with(ProcessSockets now) {
            return new Peak(Math.max(packet, now.packet()), Math.max(raw, now.raw()), readings + 1);
        }
    }

    private static final long INTERVAL_MILLIS = 10;

    private final List<Long> pids;
    private final Map<Long, Peak> peaks = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private SocketWatch(List<Long> pids) {
        this.pids = List.copyOf(pids);
        pids.forEach(pid -> peaks.put(pid, new Peak(0, 0, 0)));
        thread = new Thread(this::watch, "socket-watch");
        thread.setDaemon(true);
    }

    static SocketWatch start(List<Long> pids) {
        SocketWatch watch = new SocketWatch(pids);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        while (running) {
            for (long pid : pids) {
                ProcessSockets.of(pid).ifPresent(now -> peaks.computeIfPresent(pid, (p, peak) -> peak.with(now)));
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    Peak peak(long pid) {
        return peaks.get(pid);
    }

    /** Stops watching and waits for the last reading. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
