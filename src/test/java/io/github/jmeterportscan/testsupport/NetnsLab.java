package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away network for scan tests: a network namespace joined to the root namespace by a veth
 * pair, with TCP ports that behave as a {@link LabPortPlan} says (listener, RST, drop, ICMP
 * rejects, random loss). Scanners run in the root namespace and scan {@link #target(IpFamily)}.
 *
 * <pre>{@code
 * try (NetnsLab lab = NetnsLab.builder()
 *         .subnets(LabSubnets.of("198.18.20.0/24", "2001:db8:20::/64"))
 *         .plan(LabLayouts.standard())
 *         .start()) {
 *     InetAddress target = lab.target(IpFamily.V4);   // 198.18.20.2
 *     ...
 * }
 * }</pre>
 *
 * <p>Layout: host number 1 of each block is on the root side ({@link #hostInterface()}), number 2
 * on the namespace side, and with {@link Builder#extraTargets(int)} also numbers 16.. on the
 * namespace side. By default neighbour entries are permanent on both sides, so no ARP/NDP exchange
 * has to finish (or can be lost) before the first probe; the namespace kernel still answers ARP and
 * NDP requests ({@link Builder#permanentNeighbours(boolean)} turns this off for tests of neighbour
 * resolution itself). By default ICMP rate limits are off inside the namespace so every probe to an
 * ICMP-rejecting port gets its answer ({@link Builder#liftIcmpRateLimits(boolean)}).
 *
 * <p>Further options: {@link Builder#routeViaNamespace} puts addresses behind the namespace as a
 * gateway, {@link Builder#extraPair} adds more veth pairs (e.g. one a test may delete), and
 * {@link Builder#loopbackOnly()} builds a namespace without any veth, for tools run inside it
 * ({@link #commandPrefix()}) against its own loopback.
 *
 * <p>Needs root, {@code ip} (iproute2), {@code nft} and {@code python3} (only when the plan has
 * listening ports). {@link #close()} removes everything, also after a failed start.
 */
public final class NetnsLab implements AutoCloseable {
    public static final String DEFAULT_PREFIX = "ps-lab-";
    private static final Logger LOG = LoggerFactory.getLogger(NetnsLab.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration LINK_UP_TIMEOUT = Duration.ofSeconds(5);
    private static final int PROBE_PORT_FOR_CHECK = 9;
    /** Clean-up gets its own deadline: a lab that failed because of a short command timeout must still go. */
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(10);

    private final String namespace;
    private final String hostInterface;
    private final String namespaceInterface;
    private final LabSubnets subnets;
    private final LabPortPlan plan;
    private final int extraTargets;
    private final Duration commandTimeout;
    private final boolean loopbackOnly;
    private final boolean permanentNeighbours;
    private final boolean liftIcmpRateLimits;
    private final List<RouteViaNamespace> routes;
    private final List<ExtraPair> extraPairs;
    private PortListener listener;
    /** The lock on the main IPv4 block, held while the lab lives (see {@link LabClaims}). */
    private java.nio.channels.FileChannel blockClaim;
    private Path rulesetFile;
    private String ruleset = "";
    private boolean closed;

    private NetnsLab(Builder builder, String suffix) {
        this.namespace = builder.prefix + suffix;
        String stem = vethStem(builder.prefix);
        this.hostInterface = stem + suffix + "h";
        this.namespaceInterface = stem + suffix + "n";
        this.subnets = builder.subnets;
        this.plan = builder.plan;
        this.extraTargets = builder.extraTargets;
        this.commandTimeout = builder.commandTimeout;
        this.loopbackOnly = builder.loopbackOnly;
        this.permanentNeighbours = builder.permanentNeighbours;
        this.liftIcmpRateLimits = builder.liftIcmpRateLimits;
        this.routes = List.copyOf(builder.routes);
        this.extraPairs = List.copyOf(builder.extraPairs);
    }

    /** Addresses inside the namespace that the root namespace reaches through it as a gateway. */
    private record RouteViaNamespace(String cidr, IpFamily family, List<String> addresses) {
    }

    /** One more veth pair, named after {@code letter}, with the given address blocks on each end. */
    private record ExtraPair(char letter, List<String> hostCidrs, List<String> namespaceCidrs) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The namespace's name (prefix plus a random suffix). */
    public String namespace() {
        return namespace;
    }

    /** The veth end in the root namespace: the interface scanners send through. */
    public String hostInterface() {
        requireVeth();
        return hostInterface;
    }

    /** The veth end inside the namespace. */
    public String namespaceInterface() {
        requireVeth();
        return namespaceInterface;
    }

    /** The root-namespace end of the extra pair {@code letter} ({@link Builder#extraPair}). */
    public String hostInterface(char letter) {
        return extraPairName(letter, 'h');
    }

    /** The namespace end of the extra pair {@code letter}. */
    public String namespaceInterface(char letter) {
        return extraPairName(letter, 'n');
    }

    /** Main pair: stem + suffix + h/n; extra pairs put their letter before the h/n (15 characters at most). */
    private String extraPairName(char letter, char side) {
        if (extraPairs.stream().noneMatch(p -> p.letter() == letter)) {
            throw new IllegalArgumentException("the lab has no extra veth pair '" + letter + "'");
        }
        return hostInterface.substring(0, hostInterface.length() - 1) + letter + side;
    }

    private void requireVeth() {
        if (loopbackOnly) {
            throw new IllegalStateException("lab " + namespace + " was built loopback-only: it has no veth");
        }
    }

    /** {@code ip netns exec <namespace>}: put it before a command to run that command inside the lab. */
    public List<String> commandPrefix() {
        return List.of("ip", "netns", "exec", namespace);
    }

    public LabSubnets subnets() {
        return subnets;
    }

    public LabPortPlan plan() {
        return plan;
    }

    /** The scanning side's own address (host number 1). */
    public InetAddress hostAddress(IpFamily family) {
        requireVeth();
        return subnets.address(family, 1);
    }

    /** The main target (host number 2). */
    public InetAddress target(IpFamily family) {
        requireVeth();
        return subnets.address(family, 2);
    }

    /** The extra targets (host numbers 16 and up), in order; empty unless asked for. */
    public List<InetAddress> extraTargets(IpFamily family) {
        List<InetAddress> all = new ArrayList<>();
        for (int i = 0; i < extraTargets; i++) {
            all.add(subnets.address(family, LabSubnets.EXTRA_TARGET_BASE + i));
        }
        return List.copyOf(all);
    }

    /**
     * The extra targets as one nmap target spec: a /28 (IPv6: /124) when all 16 exist, e.g.
     * {@code 198.18.20.16/28} or {@code 2001:db8:20::10/124}.
     */
    public String extraTargetBlock(IpFamily family) {
        if (extraTargets != LabSubnets.MAX_EXTRA_TARGETS) {
            throw new IllegalStateException("the lab has " + extraTargets + " extra targets, not a full block of 16");
        }
        return subnets.address(family, LabSubnets.EXTRA_TARGET_BASE).getHostAddress()
                + (family == IpFamily.V4 ? "/28" : "/124");
    }

    /** The nftables rule set loaded in the namespace (for diagnostics). */
    public String ruleset() {
        return ruleset;
    }

    /** Runs a command inside the namespace and returns its result; a non-zero exit is a {@link LabException}. */
    public Commands.Result execInNamespace(String... command) {
        List<String> full = new ArrayList<>(commandPrefix());
        full.addAll(Arrays.asList(command));
        return Commands.run(commandTimeout, full);
    }

    private void build() {
        LOG.info("creating lab {} ({}) with {}", namespace,
                loopbackOnly ? "loopback only" : subnets.ipv4Cidr() + ", " + subnets.ipv6Cidr(), plan);
        if (!loopbackOnly) {
            blockClaim = LabClaims.claimBlock(subnets.ipv4Cidr());
            LabClaims.blockLabRangesOutsideLabs();
        }
        LabClaims.own(namespace);
        ip("netns", "add", namespace);
        if (liftIcmpRateLimits) {
            inNamespace("sysctl", "-q", "-w",
                    "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_ratemask=0",
                    "net.ipv6.icmp.ratelimit=0", "net.ipv6.icmp.ratemask=0,3-127");
        }
        ipIn("link", "set", "lo", "up");
        List<InetAddress> reachable = new ArrayList<>();
        if (!loopbackOnly) {
            buildMainPair();
            for (IpFamily family : IpFamily.values()) {
                reachable.add(target(family));
            }
            for (RouteViaNamespace route : routes) {
                addRoute(route);
                route.addresses().forEach(a -> reachable.add(literal(a)));
            }
        }
        for (ExtraPair pair : extraPairs) {
            buildExtraPair(pair);
        }
        if (!plan.listeningPorts().isEmpty()) {
            listener = PortListener.start(namespace, plan.listeningPorts(), Duration.ofSeconds(10));
        }
        // prove the path both ways before any rule can drop the check itself
        reachable.forEach(this::checkReachable);
        loadRuleset();
        if (loopbackOnly) {
            LOG.info("lab {} ready (loopback only)", namespace);
        } else {
            LOG.info("lab {} ready: {} / {} via {}", namespace, target(IpFamily.V4).getHostAddress(),
                    target(IpFamily.V6).getHostAddress(), hostInterface);
        }
    }

    private void buildMainPair() {
        String suffixBytes = namespace.substring(namespace.length() - 6);
        String hostMac = mac(suffixBytes, 1);
        String nsMac = mac(suffixBytes, 2);
        // creating the peer directly in the namespace leaves nothing behind in the root namespace
        ip("link", "add", hostInterface, "address", hostMac, "type", "veth",
                "peer", "name", namespaceInterface, "address", nsMac, "netns", namespace);
        for (IpFamily family : IpFamily.values()) {
            String length = "/" + subnets.prefixLength(family);
            addAddress(false, hostAddress(family).getHostAddress() + length, hostInterface);
            addAddress(true, target(family).getHostAddress() + length, namespaceInterface);
            for (InetAddress extra : extraTargets(family)) {
                addAddress(true, extra.getHostAddress() + length, namespaceInterface);
            }
            if (permanentNeighbours) {
                ipIn("neigh", "replace", hostAddress(family).getHostAddress(), "lladdr", hostMac,
                        "dev", namespaceInterface, "nud", "permanent");
                List<InetAddress> targets = new ArrayList<>(List.of(target(family)));
                targets.addAll(extraTargets(family));
                for (InetAddress t : targets) {
                    ip("neigh", "replace", t.getHostAddress(), "lladdr", nsMac, "dev", hostInterface,
                            "nud", "permanent");
                }
            }
        }
        ipIn("link", "set", namespaceInterface, "up");
        ip("link", "set", hostInterface, "up");
        waitForLinksUp(hostInterface, namespaceInterface);
    }

    /** Host addresses inside the namespace, and a route to their block via the main target. */
    private void addRoute(RouteViaNamespace route) {
        String hostLength = route.family() == IpFamily.V4 ? "/32" : "/128";
        for (String address : route.addresses()) {
            addAddress(true, address + hostLength, namespaceInterface);
        }
        ip(route.family() == IpFamily.V4 ? "-4" : "-6", "route", "add", route.cidr(),
                "via", target(route.family()).getHostAddress(), "dev", hostInterface);
    }

    private void buildExtraPair(ExtraPair pair) {
        String host = hostInterface(pair.letter());
        String peer = namespaceInterface(pair.letter());
        ip("link", "add", host, "type", "veth", "peer", "name", peer, "netns", namespace);
        pair.hostCidrs().forEach(cidr -> addAddress(false, cidr, host));
        pair.namespaceCidrs().forEach(cidr -> addAddress(true, cidr, peer));
        ipIn("link", "set", peer, "up");
        ip("link", "set", host, "up");
        waitForLinksUp(host, peer);
    }

    private void addAddress(boolean inNamespace, String cidr, String device) {
        boolean v6 = cidr.contains(":");
        List<String> args = new ArrayList<>(List.of(v6 ? "-6" : "-4", "addr", "add", cidr, "dev", device));
        if (v6) {
            args.add("nodad"); // usable at once, instead of "tentative" for a second or more
        }
        if (inNamespace) {
            ipIn(args.toArray(String[]::new));
        } else {
            ip(args.toArray(String[]::new));
        }
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // checked to be a lab literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }

    private void waitForLinksUp(String hostSide, String namespaceSide) {
        long deadline = System.nanoTime() + LINK_UP_TIMEOUT.toNanos();
        while (true) {
            String host = Commands.run(commandTimeout, "ip", "-o", "link", "show", "dev", hostSide).stdout();
            String peer = Commands.run(commandTimeout, "ip", "-n", namespace, "-o", "link", "show", "dev",
                    namespaceSide).stdout();
            if (host.contains("LOWER_UP") && host.contains("state UP")
                    && peer.contains("LOWER_UP") && peer.contains("state UP")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("veth pair " + hostSide + "/" + namespaceSide + " not up within "
                        + LINK_UP_TIMEOUT + ": " + host.strip() + " | " + peer.strip());
            }
            sleep(20);
        }
    }

    /** A TCP connect answered by SYN-ACK (listener) or RST (closed port) proves the round trip. */
    private void checkReachable(InetAddress address) {
        int port = plan.listeningPorts().isEmpty() ? PROBE_PORT_FOR_CHECK : plan.listeningPorts().first();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 3000);
        } catch (ConnectException refused) {
            if (!plan.listeningPorts().isEmpty()) {
                throw new LabException("listening port " + port + " on " + address.getHostAddress()
                        + " refused the connection: " + refused.getMessage());
            }
        } catch (IOException e) {
            throw new LabException("lab target " + address.getHostAddress() + " not reachable through "
                    + hostInterface + ": " + e.getMessage(), e);
        }
    }

    private void loadRuleset() {
        ruleset = NftRuleset.render(plan);
        try {
            rulesetFile = Files.createTempFile(namespace + "-", ".nft");
            Files.writeString(rulesetFile, ruleset, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write the nftables rule set: " + e.getMessage(), e);
        }
        try {
            inNamespace("nft", "-f", rulesetFile.toString());
        } catch (LabException e) {
            throw new LabException(e.getMessage() + "\nrule set was:\n" + ruleset, e);
        }
    }

    /** Removes the namespace (with its veth end, rules and addresses), the host veth and the listener. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        if (listener != null) {
            listener.close();
        }
        killProcessesIn(namespace);
        // the veths go first and synchronously; a namespace is dismantled asynchronously after
        // "ip netns del", so deleting it first would leave the host ends visible for a while
        List<String> hostEnds = new ArrayList<>();
        extraPairs.forEach(pair -> hostEnds.add(hostInterface(pair.letter())));
        if (!loopbackOnly) {
            hostEnds.add(hostInterface);
        }
        for (String hostEnd : hostEnds) {
            if (Files.exists(Path.of("/sys/class/net", hostEnd))) {
                Commands.Result del = Commands.runAllowingFailure(CLEANUP_TIMEOUT, List.of("ip", "link", "del", hostEnd));
                if (!del.succeeded()) {
                    problems.add(del.describe());
                }
            }
        }
        if (namespaceExists(namespace)) {
            Commands.Result del = Commands.runAllowingFailure(CLEANUP_TIMEOUT, List.of("ip", "netns", "del", namespace));
            if (!del.succeeded()) {
                problems.add(del.describe());
            }
        }
        if (rulesetFile != null) {
            try {
                Files.deleteIfExists(rulesetFile);
            } catch (IOException e) {
                problems.add("cannot delete " + rulesetFile + ": " + e.getMessage());
            }
        }
        LabClaims.disown(namespace);
        if (blockClaim != null) {
            try {
                blockClaim.close(); // releases the block's lock
            } catch (IOException e) {
                problems.add("cannot release the claim on " + subnets.ipv4Cidr() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new LabException("lab " + namespace + " not fully removed: " + String.join("; ", problems));
        }
        LOG.info("lab {} removed", namespace);
    }

    /**
     * Removes namespaces named {@code prefix...} and veth ends named after the prefix that a
     * crashed run left behind, killing processes still running in those namespaces. Labs whose
     * owning process is alive (another test run's, or this one's) are left alone (see
     * {@link LabClaims}).
     *
     * @return how many namespaces and links were removed
     */
    public static int cleanupLeftovers(String prefix) {
        checkPrefix(prefix);
        Duration timeout = CLEANUP_TIMEOUT;
        int removed = 0;
        // main pair: stem + 6 hex digits + h/n; extra pairs have their letter before the h/n
        String pattern = java.util.regex.Pattern.quote(vethStem(prefix)) + "[0-9a-f]{6}[a-z]?[hn]";
        for (String line : Commands.run(timeout, "ip", "-o", "link", "show").stdout().split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length < 2) {
                continue;
            }
            String name = fields[1].split("@")[0].strip();
            if (name.matches(pattern) && !LabClaims.ownedByLiveProcess(prefix + suffixOf(name, prefix))) {
                Commands.Result del = Commands.runAllowingFailure(timeout, List.of("ip", "link", "del", name));
                if (del.succeeded()) {
                    removed++;
                    LOG.info("removed leftover interface {}", name);
                }
            }
        }
        for (String name : namespaces(prefix)) {
            if (LabClaims.ownedByLiveProcess(name)) {
                continue;
            }
            LabClaims.disown(name);
            killProcessesIn(name);
            Commands.Result del = Commands.runAllowingFailure(timeout, List.of("ip", "netns", "del", name));
            if (del.succeeded()) {
                removed++;
                LOG.info("removed leftover namespace {}", name);
            } else {
                LOG.warn("cannot remove leftover namespace {}: {}", name, del.describe());
            }
        }
        return removed;
    }

    /** The names of the network namespaces that start with {@code prefix}, as {@code ip netns list} shows them. */
    public static List<String> namespaces(String prefix) {
        List<String> names = new ArrayList<>();
        for (String line : Commands.run(CLEANUP_TIMEOUT, "ip", "netns", "list").stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty() && name.startsWith(prefix)) {
                names.add(name);
            }
        }
        return names;
    }

    private static void killProcessesIn(String namespace) {
        if (!namespaceExists(namespace)) {
            return;
        }
        Commands.Result pids = Commands.runAllowingFailure(CLEANUP_TIMEOUT, List.of("ip", "netns", "pids", namespace));
        for (String pid : pids.stdout().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean namespaceExists(String namespace) {
        return Files.exists(Path.of("/var/run/netns", namespace)) || Files.exists(Path.of("/run/netns", namespace));
    }

    /** The random suffix in a veth end's name (the namespace is the prefix plus the suffix). */
    private static String suffixOf(String vethName, String prefix) {
        return vethName.substring(vethStem(prefix).length(), vethStem(prefix).length() + 6);
    }

    /** Interface names are limited to 15 characters: keep at most 7 letters/digits of the prefix. */
    static String vethStem(String prefix) {
        String letters = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return letters.length() > 7 ? letters.substring(0, 7) : letters;
    }

    private static void checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[A-Za-z][A-Za-z0-9_.-]{0,19}") || vethStem(prefix).isEmpty()) {
            throw new IllegalArgumentException("namespace prefix must start with a letter and have at most 20 "
                    + "letters, digits, '-', '_' or '.': \"" + prefix + "\"");
        }
    }

    private static String mac(String suffixHex, int side) {
        return String.format("02:00:%s:%s:%s:%02x", suffixHex.substring(0, 2), suffixHex.substring(2, 4),
                suffixHex.substring(4, 6), side);
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(Arrays.asList(args));
        Commands.run(commandTimeout, command);
    }

    private void ipIn(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(Arrays.asList(args));
        Commands.run(commandTimeout, command);
    }

    private void inNamespace(String... command) {
        execInNamespace(command);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the lab", e);
        }
    }

    /** Settings for a lab; {@link #subnets} is required, the rest has defaults. */
    public static final class Builder {
        private String prefix = DEFAULT_PREFIX;
        private LabSubnets subnets;
        private LabPortPlan plan = LabPortPlan.empty();
        private int extraTargets;
        private Duration commandTimeout = Duration.ofSeconds(10);
        private boolean loopbackOnly;
        private boolean permanentNeighbours = true;
        private boolean liftIcmpRateLimits = true;
        private final List<RouteViaNamespace> routes = new ArrayList<>();
        private final List<ExtraPair> extraPairs = new ArrayList<>();

        private Builder() {
        }

        /**
         * No veth and no addresses but the namespace's own loopback: for tools run inside the lab
         * ({@link NetnsLab#commandPrefix()}) against 127.0.0.1 or ::1 there. Excludes
         * {@link #subnets}, {@link #extraTargets}, {@link #routeViaNamespace} and {@link #extraPair}.
         */
        public Builder loopbackOnly() {
            this.loopbackOnly = true;
            return this;
        }

        /**
         * Whether both ends get permanent neighbour entries for each other (default true). Off, the
         * kernels resolve MAC addresses with ARP/NDP as on a real link, and {@code ip neigh flush}
         * really empties the host's cache.
         */
        public Builder permanentNeighbours(boolean permanent) {
            this.permanentNeighbours = permanent;
            return this;
        }

        /** Whether ICMP error rate limits are lifted inside the namespace (default true). */
        public Builder liftIcmpRateLimits(boolean lift) {
            this.liftIcmpRateLimits = lift;
            return this;
        }

        /**
         * Puts {@code addresses} (host addresses inside {@code cidr}) on the namespace's veth end and
         * routes {@code cidr} from the root namespace via the main target, so they sit one gateway
         * away, e.g. {@code routeViaNamespace("198.18.10.64/26", "198.18.10.70")}.
         */
        public Builder routeViaNamespace(String cidr, String... addresses) {
            IpFamily family = LabSubnets.checkLabRange(cidr);
            for (String address : addresses) {
                if (LabSubnets.checkLabRange(address) != family) {
                    throw new IllegalArgumentException(address + " is not in the family of " + cidr);
                }
            }
            routes.add(new RouteViaNamespace(cidr, family, List.of(addresses)));
            return this;
        }

        /**
         * Adds a veth pair named after {@code letter} (a-z) with these address blocks (e.g.
         * "198.18.10.17/28") on its root and namespace ends; see {@link NetnsLab#hostInterface(char)}.
         */
        public Builder extraPair(char letter, List<String> hostCidrs, List<String> namespaceCidrs) {
            if (letter < 'a' || letter > 'z' || extraPairs.stream().anyMatch(p -> p.letter() == letter)) {
                throw new IllegalArgumentException("an extra pair needs its own letter a-z: '" + letter + "'");
            }
            hostCidrs.forEach(LabSubnets::checkLabRange);
            namespaceCidrs.forEach(LabSubnets::checkLabRange);
            extraPairs.add(new ExtraPair(letter, List.copyOf(hostCidrs), List.copyOf(namespaceCidrs)));
            return this;
        }

        /** Namespace name prefix (default {@value NetnsLab#DEFAULT_PREFIX}); a random suffix is appended. */
        public Builder prefix(String prefix) {
            checkPrefix(prefix);
            this.prefix = prefix;
            return this;
        }

        public Builder subnets(LabSubnets subnets) {
            this.subnets = Objects.requireNonNull(subnets, "subnets");
            return this;
        }

        public Builder subnets(String ipv4Cidr, String ipv6Cidr) {
            return subnets(LabSubnets.of(ipv4Cidr, ipv6Cidr));
        }

        public Builder plan(LabPortPlan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** Adds {@code count} (0-16) more target addresses, host numbers 16 and up (a /28 when 16). */
        public Builder extraTargets(int count) {
            if (count < 0 || count > LabSubnets.MAX_EXTRA_TARGETS) {
                throw new IllegalArgumentException("extra targets must be 0-16: " + count);
            }
            this.extraTargets = count;
            return this;
        }

        /** Deadline for each {@code ip}/{@code nft} command (default 10 s). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Builds the lab; on failure everything already created is removed before the exception leaves. */
        public NetnsLab start() {
            if (loopbackOnly && (subnets != null || extraTargets > 0 || !routes.isEmpty() || !extraPairs.isEmpty())) {
                throw new IllegalStateException("a loopback-only lab has no veth for addresses, routes or pairs");
            }
            if (subnets == null && !loopbackOnly) {
                throw new IllegalStateException("a lab needs its address blocks: call subnets(...)");
            }
            byte[] random = new byte[3];
            RANDOM.nextBytes(random);
            NetnsLab lab = new NetnsLab(this, HexFormat.of().formatHex(random));
            try {
                lab.build();
                return lab;
            } catch (RuntimeException e) {
                try {
                    lab.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
