package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.link.NeighbourSolicitor;
import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.link.Route;
import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.spec.Target;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARP requests (IPv4) and neighbor solicitations (IPv6) for hosts on a directly connected
 * Ethernet network: nmap's discovery there, whatever other probes were asked for, because an
 * answer is certain from any live host and nothing beyond the link is involved.
 */
final class NeighbourPinger implements Pinger {
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourPinger.class);

    private final List<Target> targets;
    private final List<Route> routes;
    private final Map<InetAddress, Integer> hosts = new HashMap<>();
    private final Map<String, NeighbourSolicitor> solicitors = new HashMap<>();
    private final Map<String, PacketLink.Subscription> subscriptions = new HashMap<>();
    private final PingInbox answers = new PingInbox();
    private final long[] sent;
    private final long[] returned;

    NeighbourPinger(List<Target> targets, List<Route> routes) {
        this.targets = List.copyOf(targets);
        this.routes = List.copyOf(routes);
        this.sent = new long[targets.size()];
        this.returned = new long[targets.size()];
        java.util.Arrays.fill(sent, -1);
        for (int i = 0; i < targets.size(); i++) {
            hosts.put(targets.get(i).address(), i);
        }
    }

    @Override
    public int hosts() {
        return targets.size();
    }

    @Override
    public boolean asksNeighbours(int host) {
        return true;
    }

    @Override
    public void prepare(int host) {
        try {
            solicitor(routes.get(host));
        } catch (LinkException | IOException e) {
            LOG.debug("cannot ask on the network of {}: {}", targets.get(host).addressString(), e.getMessage());
        }
    }

    @Override
    public void send(int host, int tryNo) {
        InetAddress target = targets.get(host).address();
        try {
            NeighbourSolicitor solicitor = solicitor(routes.get(host));
            sent[host] = System.nanoTime();
            solicitor.solicit(target);
            returned[host] = System.nanoTime();
        } catch (LinkException | IOException e) {
            LOG.debug("no {} sent for {}: {}", target instanceof Inet4Address ? "ARP request" : "solicitation",
                    target.getHostAddress(), e.getMessage());
        }
    }

    private NeighbourSolicitor solicitor(Route route) throws LinkException, IOException {
        String key = route.netInterface().name() + " " + route.source().getHostAddress();
        NeighbourSolicitor solicitor = solicitors.get(key);
        if (solicitor == null) {
            solicitor = NeighbourSolicitor.open(route);
            solicitors.put(key, solicitor);
            subscriptions.put(key, solicitor.listen(this::answered));
        }
        return solicitor;
    }

    private void answered(InetAddress sender, io.github.jmeterportscan.link.MacAddress mac, long wireNanos) {
        Integer host = hosts.get(sender);
        if (host != null) {
            Reason reason = sender instanceof Inet4Address ? Reason.ARP_RESPONSE : Reason.ND_RESPONSE;
            answers.add(new PingAnswer(host, 0, HostStatus.up(reason, 0), wireNanos,
                    Optional.of(mac.toString().toUpperCase(Locale.ROOT))));
        }
    }

    @Override
    public long sentNanos(int host, int probe, long answerWireNanos) {
        return Pinger.anchor(sent[host], returned[host], answerWireNanos);
    }

    @Override
    public void awaitAnswers(long maxNanos, Consumer<PingAnswer> sink) throws InterruptedException {
        answers.await(maxNanos, sink);
    }

    @Override
    public void close() {
        subscriptions.values().forEach(PacketLink.Subscription::close);
        solicitors.values().forEach(NeighbourSolicitor::close);
    }
}
