package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.link.NeighbourSolicitor;
import io.github.jmeterportscan.link.NetInterface;
import io.github.jmeterportscan.link.Route;
import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.spec.HostDiscovery;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which targets are up, as nmap's host discovery. With raw access, this machine's own
 * addresses (and loopback) are up without a probe ({@code localhost-response}), targets on a
 * directly connected Ethernet network are asked by ARP/ND and the others by the IP probes; without
 * raw access every target, loopback included, gets TCP connects. Each group is asked in its own rounds, as nmap asks
 * each host group.
 */
public final class HostDiscoverer {
    private static final Logger LOG = LoggerFactory.getLogger(HostDiscoverer.class);

    private final Timing timing;
    private final Optional<String> interfaceName;

    public HostDiscoverer(Timing timing, Optional<String> interfaceName) {
        this.timing = timing;
        this.interfaceName = interfaceName;
    }

    /**
     * @param raw whether raw packets may be sent (else TCP connects)
     * @return one entry per target, in order
     * @throws LinkException when the interface nmap's -e named does not exist or is down
     */
    public List<PingRounds.Found> discover(List<Target> targets, HostDiscovery discovery, boolean raw)
            throws InterruptedException, LinkException {
        if (raw && interfaceName.isPresent()) {
            NetInterface.byName(interfaceName.get());
        }
        PingRounds.Found[] found = new PingRounds.Found[targets.size()];
        List<Integer> neighbours = new ArrayList<>();
        List<Route> neighbourRoutes = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        List<Route> otherRoutes = new ArrayList<>();
        List<Route> routes = raw ? routes(targets) : List.of();
        for (int i = 0; i < targets.size(); i++) {
            if (!raw) {
                // Without raw access nmap knows no route or interface: every target, loopback too, gets connects.
                others.add(i);
                continue;
            }
            Route route = routes.get(i);
            if (route == null) {
                found[i] = PingRounds.Found.NOTHING;
                continue;
            }
            if (route.local() || route.netInterface().kind() == NetInterface.Kind.LOOPBACK) {
                found[i] = new PingRounds.Found(HostStatus.LOCALHOST, HostTimes.UNKNOWN, Optional.empty());
            } else if (raw && discovery.arp() && NeighbourSolicitor.applies(route)) {
                neighbours.add(i);
                neighbourRoutes.add(route);
            } else {
                others.add(i);
                otherRoutes.add(route);
            }
        }
        if (!neighbours.isEmpty()) {
            try (Pinger pinger = new NeighbourPinger(pick(targets, neighbours), neighbourRoutes)) {
                ask(pinger, neighbours, found);
            }
        }
        if (!others.isEmpty()) {
            List<Target> group = pick(targets, others);
            try (Pinger pinger = raw ? new RawPinger(group, otherRoutes, discovery)
                    : new ConnectPinger(group, discovery.connectPorts())) {
                ask(pinger, others, found);
            }
        }
        for (int i = 0; i < found.length; i++) {
            if (found[i] == null) {
                found[i] = PingRounds.Found.NOTHING;
            }
        }
        return List.of(found);
    }

    /**
     * Each target's route, null where the kernel has none: all asked at once, and one by one only
     * when that fails (then the failing ones are known).
     */
    private List<Route> routes(List<Target> targets) {
        List<InetAddress> addresses = targets.stream().map(Target::address).toList();
        try {
            return Links.routes(addresses, interfaceName);
        } catch (LinkException e) {
            List<Route> routes = new ArrayList<>(targets.size());
            for (Target target : targets) {
                try {
                    routes.add(Links.route(target.address(), interfaceName));
                } catch (LinkException one) {
                    LOG.debug("no route to {}: {}", target.addressString(), one.getMessage());
                    routes.add(null);
                }
            }
            return routes;
        }
    }

    private void ask(Pinger pinger, List<Integer> indexes, PingRounds.Found[] found) throws InterruptedException {
        PingRounds.Found[] group = new PingRounds.Found[indexes.size()];
        new PingRounds(timing).run(pinger, group);
        for (int k = 0; k < group.length; k++) {
            found[indexes.get(k)] = group[k];
        }
    }

    private static List<Target> pick(List<Target> targets, List<Integer> indexes) {
        return indexes.stream().map(targets::get).toList();
    }
}
