package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.probe.AddressBits;
import io.github.jmeterportscan.probe.ProbeTemplate;
import io.github.jmeterportscan.probe.SynCookie;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.spec.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SYN (-sS) and ACK (-sA) scans with hand-made packets: the probes leave through a
 * {@link PacketLink} and the replies come back through its shared capture. See {@link RawScanLoop}
 * for the timing.
 */
public final class RawPortScanner implements PortScanner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RawPortScanner.class);
    /**
     * Source ports are taken from the top of the ephemeral range, like nmap's random choice; try n
     * goes out from the chosen port + n, which stays below 65536 (n < {@link SynCookie#MAX_TRIES}).
     */
    private static final int FIRST_SOURCE_PORT = 33000;
    private static final int SOURCE_PORT_SPAN = 28000;
    private static final int PROBE_TTL = 64;

    private final LinkFactory links;

    public RawPortScanner(LinkFactory links) {
        this.links = links;
    }

    @Override
    public List<HostResult> scan(ScanJob job, ScanObserver observer) throws ScanException, InterruptedException {
        if (!job.type().isRaw()) {
            throw new IllegalArgumentException(job.type() + " is not a raw scan");
        }
        if (job.targets().isEmpty() || job.ports().isEmpty()) {
            return job.targets().stream().map(t -> new HostResult(t, List.of(), System.currentTimeMillis(),
                    System.currentTimeMillis(), false, io.github.jmeterportscan.result.HostTimes.UNKNOWN)).toList();
        }
        int sourcePort = job.sourcePort().orElseGet(
                () -> FIRST_SOURCE_PORT + ThreadLocalRandom.current().nextInt(SOURCE_PORT_SPAN));
        SynCookie cookie = SynCookie.random();
        List<PacketLink> opened = new ArrayList<>();
        List<PacketLink.Subscription> subscriptions = new ArrayList<>();
        try {
            long start = System.nanoTime();
            ScanSchedule schedule = RawScanLoop.scheduleFor(job.timing(), start,
                    job.targets().size() * job.ports().size());
            RawHostScan[] hosts = openHosts(job, sourcePort, opened, schedule, start);
            boolean tryInSourcePort = job.sourcePort().isEmpty();
            RawScanLoop loop = new RawScanLoop(hosts, cookie, sourcePort, tryInSourcePort, job.timing(), observer,
                    schedule);
            subscribe(job, hosts, cookie, sourcePort, tryInSourcePort, loop, subscriptions);
            long droppedBefore = droppedByCapture(opened, false);
            try {
                loop.run();
            } catch (InterruptedException e) {
                throw new PartialScanException(results(hosts), e);
            }
            if (loop.anyProbeTimedOut()) {
                warnIfCaptureDropped(opened, droppedBefore);
            }
            return results(hosts);
        } finally {
            for (PacketLink.Subscription subscription : subscriptions) {
                subscription.close();
            }
            for (PacketLink link : opened) {
                link.close();
            }
        }
    }

    private static List<HostResult> results(RawHostScan[] hosts) {
        List<HostResult> results = new ArrayList<>(hosts.length);
        for (RawHostScan host : hosts) {
            results.add(host.toResult());
        }
        return results;
    }

    private RawHostScan[] openHosts(ScanJob job, int sourcePort, List<PacketLink> opened, ScanSchedule schedule,
            long start)
            throws ScanException {
        int[] ports = job.ports().toArray();
        List<InetAddress> addresses = job.targets().stream().map(Target::address).toList();
        try {
            opened.addAll(links.openAll(addresses, job.interfaceName()));
        } catch (LinkException e) {
            throw new ScanException(e.getMessage(), e);
        }
        RawHostScan[] hosts = new RawHostScan[job.targets().size()];
        for (int h = 0; h < hosts.length; h++) {
            Target target = job.targets().get(h);
            PacketLink link = opened.get(h);
            ProbeTemplate template = new ProbeTemplate(job.type(), link.sourceAddress(), target.address(), sourcePort,
                    PROBE_TTL);
            hosts[h] = new RawHostScan(h, target, link, template, ports,
                    HostSchedule.sendOrder(ports.length, job.randomizePorts()), job.timing(), schedule, start);
        }
        return hosts;
    }

    /**
     * Packets the shared captures lost so far (counted once per interface): as libpcap says now,
     * or as last read, a lower bound that costs no system call (JMeter threads that each run many
     * one-port scans read the counters twice per scan, so the start of a scan takes the latter).
     */
    private static long droppedByCapture(List<PacketLink> links, boolean now) {
        if (links.size() == 1) {
            return dropped(links.get(0), now);
        }
        Map<String, Long> byInterface = new java.util.HashMap<>();
        for (PacketLink link : links) {
            byInterface.put(link.interfaceName(), dropped(link, now));
        }
        return byInterface.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long dropped(PacketLink link, boolean now) {
        return (now ? link.captureStats() : link.recentCaptureStats()).dropped();
    }

    /**
     * A full capture buffer loses replies; retries cover a few, but the user must know. Asked only
     * when some probe timed out: when every probe was answered, no loss changed a result. The
     * count is for the whole interface, so concurrent scans on it may have contributed.
     */
    private static void warnIfCaptureDropped(List<PacketLink> links, long droppedBefore) {
        long dropped = droppedByCapture(links, true) - droppedBefore;
        if (dropped > 0) {
            LOG.warn("The packet capture dropped {} packets during this scan (its buffer was full); ports whose "
                    + "replies were lost were retried, but some may be reported as filtered", dropped);
        }
    }

    /** One capture subscription per distinct link, covering every host that uses it. */
    private void subscribe(ScanJob job, RawHostScan[] hosts, SynCookie cookie, int sourcePort,
            boolean tryInSourcePort, RawScanLoop loop, List<PacketLink.Subscription> subscriptions)
            throws ScanException {
        long[] his = new long[hosts.length];
        long[] los = new long[hosts.length];
        for (int h = 0; h < hosts.length; h++) {
            his[h] = AddressBits.hi(hosts[h].target.address());
            los[h] = AddressBits.lo(hosts[h].target.address());
        }
        AddressIndex index = new AddressIndex(his, los);
        List<PacketLink> distinct = new ArrayList<>(1);
        for (RawHostScan host : hosts) {
            if (sharesSubscription(distinct, host.link)) {
                continue;
            }
            distinct.add(host.link);
            ReplyMatcher matcher = new ReplyMatcher(job.type(), hosts, index, cookie, sourcePort, tryInSourcePort,
                    loop.inbox(), loop::wakeUp, loop.packetTap());
            try {
                // Replies come to the source ports of our tries; the capture routes them by port.
                int tries = RetryAllowance.maxSends(job.timing());
                subscriptions.add(host.link.subscribe(matcher, sourcePort, tryInSourcePort ? tries : 1));
            } catch (IOException e) {
                throw new ScanException("Cannot capture replies on " + host.link.interfaceName() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Whether one of the links subscribed so far reaches the same capture from the same source
     * address: one matcher serves all their hosts. There are one or two such links in a scan of
     * any size, so a list does, and costs less per scan than a string-keyed map.
     */
    private static boolean sharesSubscription(List<PacketLink> subscribed, PacketLink link) {
        for (PacketLink earlier : subscribed) {
            if (earlier.interfaceName().equals(link.interfaceName())
                    && earlier.sourceAddress().equals(link.sourceAddress())) {
                return true;
            }
        }
        return false;
    }
}
