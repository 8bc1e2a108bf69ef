package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.link.LinkOpener;
import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.link.Route;
import io.github.jmeterportscan.probe.IcmpProbes;
import io.github.jmeterportscan.probe.ProbeTemplate;
import io.github.jmeterportscan.spec.HostDiscovery;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw IP discovery probes, in nmap's order: ICMP echo, TCP SYN to each -PS port, TCP ACK to each
 * -PA port, ICMP timestamp (IPv4). Each host gets its own link (route, next hop) when it is first
 * asked; one capture subscription per interface reads the answers ({@link PingReplies}).
 */
final class RawPinger implements Pinger {
    private static final Logger LOG = LoggerFactory.getLogger(RawPinger.class);
    /** nmap's raw probes leave with a TTL in this range; any value a route passes will do. */
    private static final int PROBE_TTL = 64;

    private final List<Target> targets;
    private final HostDiscovery discovery;
    /** Each target's route, looked up by the caller; null when the target has none. */
    private final List<Route> routes;
    private final LinkOpener opener = new LinkOpener();
    private final PacketLink[] links;
    private final boolean[] unreachable;
    private final Map<String, PacketLink.Subscription> subscriptions = new HashMap<>();
    /** Our source addresses' bytes, added as links open and read by the capture thread. */
    private final List<byte[]> sources = new CopyOnWriteArrayList<>();
    private final PingInbox answers = new PingInbox();
    private final PingReplies replies;
    /** The times around each probe's last send call, by host and probe number; touched by the sending thread only. */
    private final Map<Long, long[]> sent = new HashMap<>();

    /** @param routes each target's route (null for a target the kernel has no route to) */
    RawPinger(List<Target> targets, List<Route> routes, HostDiscovery discovery) {
        this.targets = List.copyOf(targets);
        this.routes = new ArrayList<>(routes);
        this.discovery = discovery;
        this.links = new PacketLink[targets.size()];
        this.unreachable = new boolean[targets.size()];
        Map<InetAddress, Integer> hosts = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            hosts.put(targets.get(i).address(), i);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.replies = new PingReplies(sources, Map.copyOf(hosts), random.nextInt(1, 0x10000),
                random.nextInt(33_000, 61_000), random.nextInt());
    }

    @Override
    public int hosts() {
        return targets.size();
    }


    @Override
    public void prepare(int host) {
        link(host);
    }

    @Override
    public void send(int host, int tryNo) {
        PacketLink link = link(host);
        if (link == null) {
            return;
        }
        InetAddress source = link.sourceAddress();
        InetAddress destination = targets.get(host).address();
        if (discovery.echo()) {
            send(link, host, PingReplies.ECHO_PROBE,
                    IcmpProbes.echo(source, destination, replies.icmpId(), tryNo, PROBE_TTL));
        }
        if (!discovery.synPorts().isEmpty()) {
            ProbeTemplate syn = new ProbeTemplate(ScanType.SYN, source, destination, replies.sourcePort(), PROBE_TTL);
            for (int port : discovery.synPorts()) {
                send(link, host, PingReplies.synProbe(port), syn.fill(port, replies.sequence()));
            }
        }
        if (!discovery.ackPorts().isEmpty()) {
            ProbeTemplate ack = new ProbeTemplate(ScanType.ACK, source, destination, replies.sourcePort(), PROBE_TTL);
            for (int port : discovery.ackPorts()) {
                send(link, host, PingReplies.ackProbe(port), ack.fill(port, replies.sequence()));
            }
        }
        if (discovery.timestamp() && destination instanceof Inet4Address) {
            send(link, host, PingReplies.TIMESTAMP_PROBE,
                    IcmpProbes.timestamp(source, destination, replies.icmpId(), tryNo, PROBE_TTL));
        }
    }

    private void send(PacketLink link, int host, int probe, byte[] datagram) {
        long before = System.nanoTime();
        try {
            link.send(datagram, 0, datagram.length);
        } catch (IOException e) {
            LOG.debug("discovery probe to {} not sent: {}", targets.get(host).addressString(), e.getMessage());
        }
        sent.put(key(host, probe), new long[] {before, System.nanoTime()});
    }

    private static long key(int host, int probe) {
        return ((long) host << 32) | probe;
    }

    @Override
    public long sentNanos(int host, int probe, long answerWireNanos) {
        long[] times = sent.get(key(host, probe));
        return times == null ? -1 : Pinger.anchor(times[0], times[1], answerWireNanos);
    }

    /** The host's link, opened on first use; null when the host cannot be reached at all. */
    private PacketLink link(int host) {
        if (unreachable[host] || routes.get(host) == null) {
            return null;
        }
        if (links[host] != null) {
            return links[host];
        }
        InetAddress destination = targets.get(host).address();
        try {
            PacketLink link = opener.open(routes.get(host));
            links[host] = link;
            byte[] source = link.sourceAddress().getAddress();
            if (sources.stream().noneMatch(known -> Arrays.equals(known, source))) {
                sources.add(source);
            }
            if (!subscriptions.containsKey(link.interfaceName())) {
                subscriptions.put(link.interfaceName(), link.subscribe(this::onPacket));
            }
            return link;
        } catch (LinkException | IOException e) {
            LOG.debug("no link to {}: {}", destination.getHostAddress(), e.getMessage());
            unreachable[host] = true;
            return null;
        }
    }

    private void onPacket(byte[] frame, int ipOffset, int length, long wireNanos) {
        PingAnswer answer = replies.read(frame, ipOffset, length, wireNanos);
        if (answer != null) {
            answers.add(answer);
        }
    }

    @Override
    public void awaitAnswers(long maxNanos, Consumer<PingAnswer> sink) throws InterruptedException {
        answers.await(maxNanos, sink);
    }

    @Override
    public void close() {
        subscriptions.values().forEach(PacketLink.Subscription::close);
        for (PacketLink link : links) {
            if (link != null) {
                link.close();
            }
        }
    }
}
