package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.spec.Timing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nmap's TCP connect scan (-sT): the kernel does each handshake through a non-blocking
 * {@link SocketChannel}, so no privileges are needed. One thread drives every connect of the scan
 * through one {@link Selector}; several hosts are scanned at once (up to {@link #HOST_GROUP}).
 *
 * <p>A completed handshake is open/syn-ack, a refusal closed/conn-refused, ICMP errors reported by
 * the kernel as errnos become filtered with nmap's reasons (see {@link ConnectOutcome}). When to
 * connect is for the shared scheduling rules ({@link ScanSchedule}, one {@link HostSchedule} per
 * host): a probe not answered within the host's timeout is retransmitted (a new connect) or, out of
 * tries, declared filtered/no-response. Connect scans see no packets: reason TTL is 0 and the RTT
 * is the kernel's handshake time, else the connect's duration.
 *
 * <p>A host cut short by --host-timeout is returned with {@code timedOut} set and only the ports
 * decided before the cut; nmap prints no ports for such a host ("Skipping host ... due to host
 * timeout"), which is for the reporter to do.
 *
 * <p>Instances hold no state between scans and may be shared; each {@link #scan} runs in the
 * calling thread.
 */
public final class ConnectPortScanner implements PortScanner {
    /** Hosts scanned at the same time; more targets wait for a free slot, in job order. */
    static final int HOST_GROUP = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectPortScanner.class);
    /** nmap's smallest window; congestion never pushes below it. */
    private static final int LOW_WINDOW = 1;

    private final int socketBudget;

    /** A scanner whose parallelism is bounded by this process's file-descriptor limit. */
    public ConnectPortScanner() {
        this(FileDescriptorBudget.sockets());
    }

    /** A scanner that never holds more than {@code socketBudget} connects in flight. */
    public ConnectPortScanner(int socketBudget) {
        if (socketBudget < 1) {
            throw new IllegalArgumentException("socket budget must be positive: " + socketBudget);
        }
        this.socketBudget = socketBudget;
    }

    @Override
    public List<HostResult> scan(ScanJob job, ScanObserver observer)
            throws ScanException, InterruptedException {
        try (Run run = new Run(job, observer, socketBudget)) {
            return run.execute();
        } catch (IOException e) {
            throw new ScanException("Connect scan cannot start: no socket selector (" + e.getMessage()
                    + "). If descriptors ran out, raise the open-files limit (ulimit -n).", e);
        }
    }

    /** The state of one scan call. */
    private static final class Run implements AutoCloseable {
        private final ScanJob job;
        private final ScanObserver observer;
        private final Timing timing;
        private final Selector selector;
        private final ScanSchedule schedule;
        private final ConnectErrorClassifier classifier = ConnectErrorClassifier.get();
        private final long startNanos = System.nanoTime();
        private final HostScan[] hosts;
        private final List<HostScan> active = new ArrayList<>();
        private final int budget;
        private int nextHost;
        private int roundRobin;
        private final ConnectEndings endings;

        Run(ScanJob job, ScanObserver observer, int budget) throws IOException {
            this.job = job;
            this.observer = observer;
            this.timing = job.timing();
            this.budget = budget;
            this.selector = Selector.open();
            this.endings = new ConnectEndings(job.packetTrace(), observer, startNanos);
            int initial = timing.level() >= 4 ? 64 : 32;
            int[] ports = job.ports().toArray();
            this.schedule = new ScanSchedule(timing,
                    new CongestionWindow(initial, LOW_WINDOW, budget, timing.level()), startNanos,
                    job.targets().size() * ports.length);
            this.hosts = new HostScan[job.targets().size()];
            for (int i = 0; i < hosts.length; i++) {
                int[] order = HostSchedule.sendOrder(ports.length, job.randomizePorts());
                hosts[i] = new HostScan(i, job.targets().get(i), ports, order, timing, schedule, startNanos);
            }
        }

        List<HostResult> execute() throws ScanException, InterruptedException {
            try {
                scanAll();
            } catch (InterruptedException e) {
                throw new PartialScanException(interruptedResults(), e);
            }
            List<HostResult> results = new ArrayList<>(hosts.length);
            for (HostScan host : hosts) {
                results.add(host.result());
            }
            return results;
        }

        /** The hosts whose scan had begun, each as far as it got. */
        private List<HostResult> interruptedResults() {
            long now = System.currentTimeMillis();
            List<HostResult> results = new ArrayList<>(hosts.length);
            for (HostScan host : hosts) {
                if (host.admitted()) {
                    results.add(host.interruptedResult(now));
                }
            }
            return results;
        }

        private void scanAll() throws ScanException, InterruptedException {
            admitHosts();
            while (!active.isEmpty()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("connect scan interrupted");
                }
                long now = System.nanoTime();
                expireProbes(now);
                sendProbes(now);
                retireHosts();
                if (active.isEmpty()) {
                    break;
                }
                waitForEvents(System.nanoTime());
                processEvents();
                retireHosts();
            }
        }

        private void admitHosts() {
            while (active.size() < HOST_GROUP && nextHost < hosts.length) {
                HostScan host = hosts[nextHost++];
                host.admit(System.currentTimeMillis());
                active.add(host);
            }
        }

        /** Finishes the hosts whose schedule has nothing left, settling ports out of tries. */
        private void retireHosts() {
            boolean removed = false;
            for (Iterator<HostScan> it = active.iterator(); it.hasNext(); ) {
                HostScan host = it.next();
                HostSchedule hs = host.schedule;
                if (!hs.finished() && hs.readyToSettle()) {
                    for (int i = hs.pollOutOfTries(); i >= 0; i = hs.pollOutOfTries()) {
                        observer.portDecided(host.target, host.noResponse(i));
                    }
                    hs.finish(false);
                }
                if (hs.finished()) {
                    observer.hostFinished(host.index, host.finish(System.currentTimeMillis()));
                    it.remove();
                    removed = true;
                }
            }
            if (removed) {
                admitHosts();
            }
        }

        /** Timeouts of probes (their channels close) and of hosts (--host-timeout). */
        private void expireProbes(long now) {
            for (HostScan host : active) {
                HostSchedule hs = host.schedule;
                if (hs.pastDeadline(now)) {
                    LOG.debug("{}: host timeout", host.target.addressString());
                    hs.finish(true);
                    host.closeAll();
                    continue;
                }
                hs.expire(now);
            }
        }

        private void sendProbes(long now) throws ScanException, InterruptedException {
            int stalledHosts = 0;
            while (stalledHosts < active.size() && schedule.active() < budget && schedule.maySend(now)) {
                HostScan host = active.get(Math.floorMod(roundRobin++, active.size()));
                int i = host.schedule.next(now);
                if (i < 0) {
                    stalledHosts++;
                    continue;
                }
                stalledHosts = 0;
                if (!launch(host, i, now)) {
                    return;
                }
                now = System.nanoTime();
            }
        }

        /**
         * Starts one connect to port index {@code i}. Returns false when our own resources ran out
         * and sending must pause.
         */
        private boolean launch(HostScan host, int i, long now) throws ScanException, InterruptedException {
            InetSocketAddress remote = new InetSocketAddress(host.target.address(), host.ports[i]);
            int flying = schedule.active();
            for (int attempt = 1; ; attempt++) {
                IOException shortage = attempt(host, i, remote);
                if (shortage == null) {
                    return true;
                }
                if (attempt == 2) {
                    host.schedule.putBack(i);
                    resourceShortage(shortage, flying, now);
                    return false;
                }
                // A closed channel keeps its descriptor (and local port) until the selector
                // deregisters it: let it do so before concluding anything.
                flushClosedChannels();
            }
        }

        /**
         * One open + connect; returns the error when our own resources ran out (the try did not
         * leave and is not booked), else null.
         */
        private IOException attempt(HostScan host, int i, InetSocketAddress remote)
                throws ScanException, InterruptedException {
            SocketChannel channel;
            try {
                channel = SocketChannel.open(host.target.isIpv6()
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channel.configureBlocking(false);
            } catch (IOException e) {
                return e;
            }
            long sent = System.nanoTime();
            SocketErrno errno = null;
            try {
                if (channel.connect(remote)) {
                    errno = SocketErrno.NONE;
                }
            } catch (ClosedByInterruptException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedException("connect scan interrupted");
            } catch (IOException e) {
                errno = classifier.classify(e);
                if (ConnectOutcome.of(errno).kind() == ConnectOutcome.Kind.LOCAL_RESOURCE) {
                    closeQuietly(channel);
                    return e;
                }
            }
            int tryNo = host.schedule.sent(i, sent);
            ConnectProbe probe = new ConnectProbe(host, i, tryNo, sent, channel);
            host.track(probe);
            endings.trace(remote, SocketErrno.EINPROGRESS, sent);
            if (errno == null) {
                try {
                    probe.key = channel.register(selector, SelectionKey.OP_CONNECT, probe);
                } catch (IOException e) {
                    errno = classifier.classify(e);
                }
            }
            if (errno != null) {
                endings.complete(probe, errno, System.nanoTime());
            }
            return null;
        }

        private static void closeQuietly(SocketChannel channel) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // The descriptor is released either way.
            }
        }

        private void flushClosedChannels() throws ScanException {
            try {
                selector.selectNow();
            } catch (IOException e) {
                throw new ScanException("Connect scan failed: waiting for connections failed ("
                        + e.getMessage() + ")", e);
            }
        }

        private void resourceShortage(IOException e, int flying, long now) throws ScanException {
            SocketErrno errno = classifier.classify(e);
            if (ConnectOutcome.of(errno).kind() != ConnectOutcome.Kind.LOCAL_RESOURCE) {
                throw new ScanException("Connect scan cannot open a TCP socket: " + e.getMessage(), e);
            }
            if (flying == 0) {
                throw new ScanException(String.format(Locale.ROOT,
                        "Connect scan cannot open even one socket (%s). Raise the open-files limit "
                                + "(ulimit -n), or free local ports and descriptors, then retry.",
                        e.getMessage()), e);
            }
            LOG.debug("local resources exhausted at {} connects in flight ({}); shrinking window",
                    flying, e.getMessage());
            schedule.window.exhausted(flying, now);
        }

        private void waitForEvents(long now) throws ScanException, InterruptedException {
            long wake = Long.MAX_VALUE;
            boolean hostReady = false;
            for (HostScan host : active) {
                wake = host.schedule.wakeNanos(now, wake);
                hostReady |= host.schedule.readyToSend(now);
            }
            if (hostReady && schedule.active() < budget) {
                wake = schedule.maySend(now) ? now : Math.min(wake, schedule.rateWakeNanos(now));
            }
            long waitNanos = wake - now;
            try {
                if (waitNanos <= 0) {
                    selector.selectNow();
                } else if (waitNanos < 1_000_000) {
                    // select() counts whole milliseconds; --max-rate spacing can be finer.
                    if (selector.selectNow() == 0) {
                        LockSupport.parkNanos(waitNanos);
                    }
                } else {
                    selector.select(Math.min(TimeUnit.NANOSECONDS.toMillis(waitNanos), 1000));
                }
            } catch (IOException e) {
                throw new ScanException("Connect scan failed: waiting for connections failed (" + e.getMessage() + ")", e);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("connect scan interrupted");
            }
        }

        private void processEvents() throws ScanException {
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                ConnectProbe probe = (ConnectProbe) key.attachment();
                if (probe.isFinished()) {
                    continue;
                }
                SocketErrno errno;
                try {
                    errno = probe.channel.finishConnect() ? SocketErrno.NONE : null;
                } catch (IOException e) {
                    errno = classifier.classify(e);
                }
                if (errno != null) {
                    endings.complete(probe, errno, System.nanoTime());
                }
            }
        }

        @Override
        public void close() {
            for (HostScan host : hosts) {
                host.closeAll();
            }
            try {
                // Closing the selector deregisters the keys and so releases the closed channels'
                // descriptors now rather than at some later select.
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing selector", e);
            }
        }
    }
}
