package io.github.jmeterportscan.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace reachable over a veth pair, with TCP listeners and nftables rules that
 * drop or reject chosen ports in every way nmap distinguishes. Addresses: this host 198.18.11.1 /
 * 2001:db8:11::1, the lab 198.18.11.2 / 2001:db8:11::2. Needs root, ip, nft and python3.
 *
 * <p>ICMP error rate limits are lifted inside the lab, so every rejected SYN gets its error.
 */
final class ConnectLab implements AutoCloseable {
    static final String PREFIX = "ps-conn-";
    static final String HOST4 = "198.18.11.1";
    static final String LAB4 = "198.18.11.2";
    static final String HOST6 = "2001:db8:11::1";
    static final String LAB6 = "2001:db8:11::2";
    static final int[] OPEN = {8080, 8081};
    static final int CLOSED = 8082;
    static final int[] DROPPED = {9001, 9002};
    /** A block of silently dropped ports, for interruption and host-timeout tests. */
    static final int DROPPED_BLOCK_FIRST = 10000;
    static final int DROPPED_BLOCK_LAST = 10999;

    /** IPv4 ports 9003.. and the rejection each gets. */
    static final String[] REJECT4 = {
        "9003 reject with icmp type host-unreachable",
        "9004 reject with icmp type admin-prohibited",
        "9005 reject with icmp type net-unreachable",
        "9006 reject with icmp type port-unreachable",
        "9007 reject with tcp reset",
        "9008 reject with icmp type prot-unreachable",
        "9009 reject with icmp type host-prohibited",
        "9010 reject with icmp type net-prohibited",
        // Code 8, "source host isolated": Linux reports ENONET.
        "9011 reject with icmp 8",
    };
    /** IPv6 ports 9003.. and the rejection each gets. */
    static final String[] REJECT6 = {
        "9003 reject with icmpv6 type addr-unreachable",
        "9004 reject with icmpv6 type admin-prohibited",
        "9005 reject with icmpv6 type no-route",
        "9006 reject with icmpv6 type port-unreachable",
        "9007 reject with tcp reset",
        "9008 reject with icmpv6 type policy-fail",
        "9009 reject with icmpv6 type reject-route",
    };

    private final String namespace;
    private final String hostIf;
    private final Process listener;

    private ConnectLab(String namespace, String hostIf, Process listener) {
        this.namespace = namespace;
        this.hostIf = hostIf;
        this.listener = listener;
    }

    static ConnectLab create() throws IOException, InterruptedException {
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        String namespace = PREFIX + pid;
        String hostIf = "pscn" + (pid % 100000) + "h";
        String labIf = "pscn" + (pid % 100000) + "n";
        run("ip", "netns", "add", namespace);
        try {
            run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", labIf);
            run("ip", "link", "set", labIf, "netns", namespace);
            run("ip", "addr", "add", HOST4 + "/24", "dev", hostIf);
            run("ip", "addr", "add", HOST6 + "/64", "dev", hostIf, "nodad");
            run("ip", "link", "set", hostIf, "up");
            inNs(namespace, "ip", "addr", "add", LAB4 + "/24", "dev", labIf);
            inNs(namespace, "ip", "addr", "add", LAB6 + "/64", "dev", labIf, "nodad");
            inNs(namespace, "ip", "link", "set", labIf, "up");
            inNs(namespace, "ip", "link", "set", "lo", "up");
            inNs(namespace, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0",
                    "net.ipv4.icmp_msgs_per_sec=100000", "net.ipv4.icmp_msgs_burst=100000");
            runWithInput(ruleset(), "ip", "netns", "exec", namespace, "nft", "-f", "-");
            Process listener = startListener(namespace);
            return new ConnectLab(namespace, hostIf, listener);
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteNamespace(namespace);
            throw e;
        }
    }

    private static String ruleset() {
        StringBuilder nft = new StringBuilder();
        nft.append("table ip psconn {\n chain input { type filter hook input priority 0; policy accept;\n");
        appendCommon(nft);
        for (String rule : REJECT4) {
            nft.append("  tcp dport ").append(rule).append('\n');
        }
        nft.append(" }\n}\n");
        nft.append("table ip6 psconn6 {\n chain input { type filter hook input priority 0; policy accept;\n");
        appendCommon(nft);
        for (String rule : REJECT6) {
            nft.append("  tcp dport ").append(rule).append('\n');
        }
        nft.append(" }\n}\n");
        return nft.toString();
    }

    private static void appendCommon(StringBuilder nft) {
        for (int port : DROPPED) {
            nft.append("  tcp dport ").append(port).append(" drop\n");
        }
        nft.append("  tcp dport ").append(DROPPED_BLOCK_FIRST).append('-').append(DROPPED_BLOCK_LAST)
                .append(" drop\n");
    }

    /** One python3 process listening on the open ports of both addresses; prints "ready". */
    private static Process startListener(String namespace) throws IOException, InterruptedException {
        String script = String.join("\n",
                "import socket, sys, time",
                "held = []",
                "for family, address in ((socket.AF_INET, '" + LAB4 + "'), (socket.AF_INET6, '" + LAB6 + "')):",
                "    for port in (" + OPEN[0] + ", " + OPEN[1] + "):",
                "        s = socket.socket(family, socket.SOCK_STREAM)",
                "        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                "        s.bind((address, port))",
                "        s.listen(128)",
                "        held.append(s)",
                "print('ready', flush=True)",
                "time.sleep(3600)");
        Process process = new ProcessBuilder("ip", "netns", "exec", namespace, "python3", "-c", script)
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            process.destroyForcibly();
            throw new IOException("lab listener did not start: " + line);
        }
        return process;
    }

    String namespace() {
        return namespace;
    }

    String hostInterface() {
        return hostIf;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.destroyForcibly();
        listener.waitFor(5, TimeUnit.SECONDS);
        deleteNamespace(namespace);
    }

    /** Namespaces with our prefix left by crashed runs, and any process still inside them. */
    static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : output("ip", "netns", "list")) {
            String name = line.split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                deleteNamespace(name);
            }
        }
    }

    private static void deleteNamespace(String namespace) throws IOException, InterruptedException {
        for (String pid : output("ip", "netns", "pids", namespace)) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        // Deleting the namespace destroys its end of the veth pair, and with it ours.
        new ProcessBuilder("ip", "netns", "del", namespace).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
    }

    private static void inNs(String namespace, String... command) throws IOException, InterruptedException {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        run(full);
    }

    static void run(String... command) throws IOException, InterruptedException {
        runWithInput(null, command);
    }

    private static void runWithInput(String input, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IOException("failed (" + process.exitValue() + "): " + String.join(" ", command) + "\n" + out);
        }
    }

    static List<String> output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }
}
