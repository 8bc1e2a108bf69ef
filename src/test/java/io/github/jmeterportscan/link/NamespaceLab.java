package io.github.jmeterportscan.link;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away network namespace joined to the host by veth pairs, for lab tests with real
 * Ethernet frames. Uses only the namespace prefix {@code ps-link-}, host interfaces named
 * {@code pslk*}, and addresses from 198.18.10.0/24 and 2001:db8:10::/64.
 */
final class NamespaceLab implements AutoCloseable {
    static final String NAMESPACE_PREFIX = "ps-link-";
    static final String INTERFACE_PREFIX = "pslk";

    final String namespace;
    final String tag;
    private final List<Process> processes = new ArrayList<>();

    private NamespaceLab(String tag) {
        this.tag = tag;
        this.namespace = NAMESPACE_PREFIX + tag;
    }

    static NamespaceLab create() throws IOException {
        removeLeftovers();
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        NamespaceLab lab = new NamespaceLab(tag);
        run("ip", "netns", "add", lab.namespace);
        lab.inNamespace("ip", "link", "set", "lo", "up");
        return lab;
    }

    /** Host-side interface name for pair {@code letter} (at most 15 characters, as Linux requires). */
    String hostSide(char letter) {
        return INTERFACE_PREFIX + tag + letter + "h";
    }

    String namespaceSide(char letter) {
        return INTERFACE_PREFIX + tag + letter + "n";
    }

    /** Creates a veth pair with the given addresses ("198.18.10.1/28"); IPv6 ones without DAD. */
    void addPair(char letter, List<String> hostAddresses, List<String> namespaceAddresses) throws IOException {
        String host = hostSide(letter);
        String peer = namespaceSide(letter);
        run("ip", "link", "add", host, "type", "veth", "peer", "name", peer, "netns", namespace);
        for (String a : hostAddresses) {
            run(address("ip", a, host));
        }
        for (String a : namespaceAddresses) {
            inNamespace(address("ip", a, peer));
        }
        run("ip", "link", "set", host, "up");
        inNamespace("ip", "link", "set", peer, "up");
    }

    private static String[] address(String ip, String cidr, String dev) {
        return cidr.contains(":")
                ? new String[] {ip, "-6", "addr", "add", cidr, "dev", dev, "nodad"}
                : new String[] {ip, "addr", "add", cidr, "dev", dev};
    }

    String namespaceMac(char letter) throws IOException {
        return inNamespace("cat", "/sys/class/net/" + namespaceSide(letter) + "/address").trim();
    }

    String inNamespace(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /**
     * Starts TCP listeners on {@code port} in the namespace (bounded lifetime) and waits until they
     * accept connections.
     */
    void listen(int port, List<String> addresses) throws IOException, InterruptedException {
        StringBuilder py = new StringBuilder("import socket,time\nss=[]\n");
        for (String a : addresses) {
            String family = a.contains(":") ? "socket.AF_INET6" : "socket.AF_INET";
            py.append("ss.append(socket.create_server(('").append(a).append("',").append(port)
                    .append("),family=").append(family).append(",backlog=64))\n");
        }
        py.append("time.sleep(300)\n");
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "python3", "-c", py.toString())
                .redirectErrorStream(true).start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String listening = inNamespace("ss", "-Htln", "sport", "= :" + port);
            if (listening.lines().count() >= addresses.size()) {
                return;
            }
            if (!p.isAlive()) {
                throw new IOException("listener in " + namespace + " exited: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
        throw new IOException("listener in " + namespace + " did not start within 10 s");
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        deleteNamespace(namespace);
    }

    /** Deletes namespaces and host interfaces left by earlier runs that crashed before cleaning up. */
    static void removeLeftovers() {
        try {
            for (String line : run("ip", "netns", "list").lines().toList()) {
                String name = line.split("\\s+")[0];
                if (name.startsWith(NAMESPACE_PREFIX)) {
                    deleteNamespace(name);
                }
            }
            for (String line : run("ip", "-o", "link", "show").lines().toList()) {
                String[] f = line.split(":\\s+|@");
                if (f.length > 1 && f[1].startsWith(INTERFACE_PREFIX)) {
                    runQuietly("ip", "link", "del", f[1]);
                }
            }
        } catch (IOException e) {
            // Best effort: the test creating a fresh lab fails clearly if something collides.
        }
    }

    private static void deleteNamespace(String name) {
        try {
            for (String pid : run("ip", "netns", "pids", name).split("\\s+")) {
                if (!pid.isBlank()) {
                    runQuietly("kill", "-9", pid.trim());
                }
            }
        } catch (IOException e) {
            // namespace already gone
        }
        runQuietly("ip", "netns", "del", name);
    }

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            p.getOutputStream().close();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            // cleanup: ignore
        }
    }
}
