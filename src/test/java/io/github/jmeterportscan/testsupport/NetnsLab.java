package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * namespace side. Neighbour entries are permanent on both sides, so no ARP/NDP exchange has to
 * finish (or can be lost) before the first probe; the namespace kernel still answers ARP and NDP
 * requests. ICMP rate limits are off inside the namespace so every probe to an ICMP-rejecting port
 * gets its answer.
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
    private PortListener listener;
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
        return hostInterface;
    }

    /** The veth end inside the namespace. */
    public String namespaceInterface() {
        return namespaceInterface;
    }

    public LabSubnets subnets() {
        return subnets;
    }

    public LabPortPlan plan() {
        return plan;
    }

    /** The scanning side's own address (host number 1). */
    public InetAddress hostAddress(IpFamily family) {
        return subnets.address(family, 1);
    }

    /** The main target (host number 2). */
    public InetAddress target(IpFamily family) {
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
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        return Commands.run(commandTimeout, full);
    }

    private void build() {
        LOG.info("creating lab {} ({}, {}) with {}", namespace, subnets.ipv4Cidr(), subnets.ipv6Cidr(), plan);
        ip("netns", "add", namespace);
        String suffixBytes = namespace.substring(namespace.length() - 6);
        String hostMac = mac(suffixBytes, 1);
        String nsMac = mac(suffixBytes, 2);
        // creating the peer directly in the namespace leaves nothing behind in the root namespace
        ip("link", "add", hostInterface, "address", hostMac, "type", "veth",
                "peer", "name", namespaceInterface, "address", nsMac, "netns", namespace);
        inNamespace("sysctl", "-q", "-w",
                "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_ratemask=0",
                "net.ipv6.icmp.ratelimit=0", "net.ipv6.icmp.ratemask=0,3-127");
        for (IpFamily family : IpFamily.values()) {
            addAddress(false, hostAddress(family), family, hostInterface);
            addAddress(true, target(family), family, namespaceInterface);
            for (InetAddress extra : extraTargets(family)) {
                addAddress(true, extra, family, namespaceInterface);
            }
            ipIn("neigh", "replace", hostAddress(family).getHostAddress(), "lladdr", hostMac,
                    "dev", namespaceInterface, "nud", "permanent");
            List<InetAddress> targets = new ArrayList<>(List.of(target(family)));
            targets.addAll(extraTargets(family));
            for (InetAddress t : targets) {
                ip("neigh", "replace", t.getHostAddress(), "lladdr", nsMac, "dev", hostInterface, "nud", "permanent");
            }
        }
        ipIn("link", "set", "lo", "up");
        ipIn("link", "set", namespaceInterface, "up");
        ip("link", "set", hostInterface, "up");
        waitForLinksUp();
        if (!plan.listeningPorts().isEmpty()) {
            listener = PortListener.start(namespace, plan.listeningPorts(), Duration.ofSeconds(10));
        }
        // prove the path both ways before any rule can drop the check itself
        for (IpFamily family : IpFamily.values()) {
            checkReachable(target(family));
        }
        loadRuleset();
        LOG.info("lab {} ready: {} / {} via {}", namespace, target(IpFamily.V4).getHostAddress(),
                target(IpFamily.V6).getHostAddress(), hostInterface);
    }

    private void addAddress(boolean inNamespace, InetAddress address, IpFamily family, String device) {
        List<String> args = new ArrayList<>(List.of(family == IpFamily.V4 ? "-4" : "-6", "addr", "add",
                address.getHostAddress() + "/" + subnets.prefixLength(family), "dev", device));
        if (family == IpFamily.V6) {
            args.add("nodad"); // usable at once, instead of "tentative" for a second or more
        }
        if (inNamespace) {
            ipIn(args.toArray(String[]::new));
        } else {
            ip(args.toArray(String[]::new));
        }
    }

    private void waitForLinksUp() {
        long deadline = System.nanoTime() + LINK_UP_TIMEOUT.toNanos();
        while (true) {
            String host = Commands.run(commandTimeout, "ip", "-o", "link", "show", "dev", hostInterface).stdout();
            String peer = Commands.run(commandTimeout, "ip", "-n", namespace, "-o", "link", "show", "dev",
                    namespaceInterface).stdout();
            if (host.contains("LOWER_UP") && host.contains("state UP")
                    && peer.contains("LOWER_UP") && peer.contains("state UP")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LabException("veth pair " + hostInterface + "/" + namespaceInterface + " not up within "
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
        // the veth goes first and synchronously; a namespace is dismantled asynchronously after
        // "ip netns del", so deleting it first would leave the host end visible for a while
        if (Files.exists(Path.of("/sys/class/net", hostInterface))) {
            Commands.Result del = Commands.runAllowingFailure(CLEANUP_TIMEOUT, List.of("ip", "link", "del", hostInterface));
            if (!del.succeeded()) {
                problems.add(del.describe());
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
        if (!problems.isEmpty()) {
            throw new LabException("lab " + namespace + " not fully removed: " + String.join("; ", problems));
        }
        LOG.info("lab {} removed", namespace);
    }

    /**
     * Removes namespaces named {@code prefix...} and veth ends named after the prefix that a
     * crashed run left behind, killing processes still running in those namespaces. Call it once
     * before building labs (e.g. in {@code @BeforeAll}); it must not run while another lab with the
     * same prefix is alive.
     *
     * @return how many namespaces and links were removed
     */
    public static int cleanupLeftovers(String prefix) {
        checkPrefix(prefix);
        Duration timeout = CLEANUP_TIMEOUT;
        int removed = 0;
        String pattern = java.util.regex.Pattern.quote(vethStem(prefix)) + "[0-9a-f]{6}[hn]";
        for (String line : Commands.run(timeout, "ip", "-o", "link", "show").stdout().split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length < 2) {
                continue;
            }
            String name = fields[1].split("@")[0].strip();
            if (name.matches(pattern)) {
                Commands.Result del = Commands.runAllowingFailure(timeout, List.of("ip", "link", "del", name));
                if (del.succeeded()) {
                    removed++;
                    LOG.info("removed leftover interface {}", name);
                }
            }
        }
        for (String line : Commands.run(timeout, "ip", "netns", "list").stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty() && name.startsWith(prefix)) {
                killProcessesIn(name);
                Commands.Result del = Commands.runAllowingFailure(timeout, List.of("ip", "netns", "del", name));
                if (del.succeeded()) {
                    removed++;
                    LOG.info("removed leftover namespace {}", name);
                } else {
                    LOG.warn("cannot remove leftover namespace {}: {}", name, del.describe());
                }
            }
        }
        return removed;
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

        private Builder() {
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
            if (subnets == null) {
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
