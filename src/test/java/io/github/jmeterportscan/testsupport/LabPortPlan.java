package io.github.jmeterportscan.testsupport;

import io.github.jmeterportscan.spec.ScanType;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Immutable description of a lab's TCP ports: how each one answers, per address family, and an
 * optional random packet loss. Ports not in the plan are closed (nothing listens, no rule). The
 * same plan applies to every address of the lab's namespace.
 *
 * <pre>{@code
 * LabPortPlan plan = LabPortPlan.builder()
 *         .open(22, 80).closed(81).drop(82)
 *         .port(84, PortBehavior.ICMP_NET_UNREACHABLE, PortBehavior.ICMPV6_NO_ROUTE)
 *         .build();
 * }</pre>
 */
public final class LabPortPlan {
    /** How one port answers each family. */
    public record Fixture(PortBehavior v4, PortBehavior v6) {
        public Fixture {
            Objects.requireNonNull(v4, "v4");
            Objects.requireNonNull(v6, "v6");
            if (!v4.appliesTo(IpFamily.V4) || !v6.appliesTo(IpFamily.V6)) {
                throw new IllegalArgumentException("ICMP kinds must sit in their own family's slot: " + v4 + "/" + v6);
            }
            // one dual-stack listener serves both families, so a port cannot be open in only one
            if ((v4.needsListener() || v6.needsListener()) && v4 != v6) {
                throw new IllegalArgumentException("a listening port must behave the same in both families: "
                        + v4 + "/" + v6);
            }
        }

        public PortBehavior behavior(IpFamily family) {
            return family == IpFamily.V4 ? v4 : v6;
        }
    }

    private static final Fixture UNLISTED = new Fixture(PortBehavior.CLOSED, PortBehavior.CLOSED);

    private final NavigableMap<Integer, Fixture> fixtures;
    private final int lossPercent;
    private final int synsPerSecond;
    private final int tcpRepliesPerSecond;

    private LabPortPlan(Map<Integer, Fixture> fixtures, int lossPercent, int synsPerSecond, int tcpRepliesPerSecond) {
        this.fixtures = Collections.unmodifiableNavigableMap(new TreeMap<>(fixtures));
        this.lossPercent = lossPercent;
        this.synsPerSecond = synsPerSecond;
        this.tcpRepliesPerSecond = tcpRepliesPerSecond;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A plan with no ports and no loss: every port closed. */
    public static LabPortPlan empty() {
        return builder().build();
    }

    /** The planned ports, ascending. */
    public SortedSet<Integer> ports() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(fixtures.keySet()));
    }

    public Map<Integer, Fixture> fixtures() {
        return fixtures;
    }

    /** How {@code port} answers {@code family}; unplanned ports are {@link PortBehavior#CLOSED}. */
    public PortBehavior behavior(IpFamily family, int port) {
        return fixtures.getOrDefault(port, UNLISTED).behavior(family);
    }

    /** What nmap reports for {@code port} with {@code scanType} over {@code family} (see {@link NmapTruth}). */
    public Expectation expected(ScanType scanType, IpFamily family, int port) {
        return NmapTruth.expected(scanType, behavior(family, port));
    }

    /** Expectations for every planned port, ascending. */
    public NavigableMap<Integer, Expectation> expected(ScanType scanType, IpFamily family) {
        NavigableMap<Integer, Expectation> all = new TreeMap<>();
        for (int port : fixtures.keySet()) {
            all.put(port, expected(scanType, family, port));
        }
        return Collections.unmodifiableNavigableMap(all);
    }

    /** Ports a listener must serve. */
    public SortedSet<Integer> listeningPorts() {
        return fixtures.entrySet().stream().filter(e -> e.getValue().v4().needsListener())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Percentage (0-99) of packets dropped at random in each direction inside the namespace. */
    public int lossPercent() {
        return lossPercent;
    }

    /** SYNs the namespace takes per second (0 = no limit); the others are dropped on the way in. */
    public int synsPerSecond() {
        return synsPerSecond;
    }

    /** TCP segments (SYN-ACKs, RSTs) the namespace sends per second (0 = no limit); the others are dropped. */
    public int tcpRepliesPerSecond() {
        return tcpRepliesPerSecond;
    }

    /** The planned ports in nmap's {@code -p} syntax, e.g. {@code 22,80-90,443}. */
    public String nmapPortList() {
        StringBuilder list = new StringBuilder();
        Integer start = null;
        Integer previous = null;
        for (int port : fixtures.keySet()) {
            if (previous != null && port == previous + 1) {
                previous = port;
                continue;
            }
            appendRange(list, start, previous);
            start = port;
            previous = port;
        }
        appendRange(list, start, previous);
        return list.toString();
    }

    private static void appendRange(StringBuilder list, Integer start, Integer end) {
        if (start == null) {
            return;
        }
        if (list.length() > 0) {
            list.append(',');
        }
        list.append(start);
        if (!start.equals(end)) {
            list.append('-').append(end);
        }
    }

    @Override
    public String toString() {
        return "LabPortPlan" + fixtures + (lossPercent > 0 ? " loss " + lossPercent + "%" : "")
                + (synsPerSecond > 0 ? " SYNs " + synsPerSecond + "/s" : "")
                + (tcpRepliesPerSecond > 0 ? " TCP replies " + tcpRepliesPerSecond + "/s" : "");
    }

    /** Collects fixtures; a port given twice keeps its last setting. */
    public static final class Builder {
        private final Map<Integer, Fixture> fixtures = new TreeMap<>();
        private int lossPercent;
        private int synsPerSecond;
        private int tcpRepliesPerSecond;

        private Builder() {
        }

        public Builder port(int port, PortBehavior both) {
            return port(port, bothFamilies(both), both);
        }

        private static PortBehavior bothFamilies(PortBehavior both) {
            if (both.family().isPresent()) {
                throw new IllegalArgumentException(both + " exists only for " + both.family().get()
                        + ": give a v4 and a v6 behaviour");
            }
            return both;
        }

        public Builder port(int port, PortBehavior v4, PortBehavior v6) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range 1-65535: " + port);
            }
            fixtures.put(port, new Fixture(v4, v6));
            return this;
        }

        /** Ports {@code first} to {@code last}, all alike; see {@link #port(int, PortBehavior)}. */
        public Builder range(int first, int last, PortBehavior both) {
            return range(first, last, bothFamilies(both), both);
        }

        /** Ports {@code first} to {@code last}, all alike; see {@link #port(int, PortBehavior, PortBehavior)}. */
        public Builder range(int first, int last, PortBehavior v4, PortBehavior v6) {
            for (int port = first; port <= last; port++) {
                port(port, v4, v6);
            }
            return this;
        }

        public Builder open(int... ports) {
            return all(PortBehavior.OPEN, ports);
        }

        public Builder closed(int... ports) {
            return all(PortBehavior.CLOSED, ports);
        }

        public Builder drop(int... ports) {
            return all(PortBehavior.DROP, ports);
        }

        public Builder tcpReset(int... ports) {
            return all(PortBehavior.REJECT_TCP_RESET, ports);
        }

        public Builder openStateful(int... ports) {
            return all(PortBehavior.OPEN_STATEFUL, ports);
        }

        public Builder closedStateful(int... ports) {
            return all(PortBehavior.CLOSED_STATEFUL, ports);
        }

        /** Drops {@code percent}% of packets at random, inbound and outbound, inside the namespace. */
        public Builder lossPercent(int percent) {
            if (percent < 0 || percent > 99) {
                throw new IllegalArgumentException("loss must be 0-99 percent: " + percent);
            }
            this.lossPercent = percent;
            return this;
        }

        /**
         * Takes at most {@code perSecond} SYNs a second (an nftables {@code limit}, burst 5) and
         * drops the rest before any port answers: a firewall that rate-limits new connections.
         */
        public Builder synRateLimit(int perSecond) {
            this.synsPerSecond = positive(perSecond);
            return this;
        }

        /**
         * Sends at most {@code perSecond} TCP segments a second (SYN-ACKs and RSTs alike; burst 5)
         * and drops the rest: a stack that rate-limits its RSTs, as BSD kernels do.
         */
        public Builder tcpReplyRateLimit(int perSecond) {
            this.tcpRepliesPerSecond = positive(perSecond);
            return this;
        }

        private static int positive(int perSecond) {
            if (perSecond < 1) {
                throw new IllegalArgumentException("a rate limit needs at least 1 packet per second: " + perSecond);
            }
            return perSecond;
        }

        private Builder all(PortBehavior behavior, int... ports) {
            for (int port : ports) {
                port(port, behavior);
            }
            return this;
        }

        public LabPortPlan build() {
            return new LabPortPlan(fixtures, lossPercent, synsPerSecond, tcpRepliesPerSecond);
        }
    }
}
