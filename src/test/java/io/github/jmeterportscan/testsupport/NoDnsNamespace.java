package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A network namespace with nothing but its own loopback and a resolver configuration that names
 * 127.0.0.1 as the only name server, for running the real nmap on names: its forward look-ups
 * (nmap's -n stops only the reverse ones) find /etc/hosts or fail at once, and no DNS query can
 * leave the machine. One per test JVM, removed when it exits.
 */
public final class NoDnsNamespace {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final String NAME = "ps-nodns-" + ProcessHandle.current().pid();
    private static volatile boolean created;

    private NoDnsNamespace() {
    }

    /** The words that run a command inside the namespace, which is created on first use (root only). */
    public static synchronized List<String> commandPrefix() {
        if (!created) {
            create();
            created = true;
        }
        return List.of("ip", "netns", "exec", NAME);
    }

    private static void create() {
        Privileges.requireRoot("a network namespace without DNS for running nmap on names");
        Path config = Path.of("/etc/netns", NAME);
        try {
            Files.createDirectories(config);
            // ip netns exec mounts the files of /etc/netns/<name>/ over /etc for the command it runs.
            Files.writeString(config.resolve("resolv.conf"), "nameserver 127.0.0.1\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        Commands.run(COMMAND_TIMEOUT, "ip", "netns", "add", NAME);
        Commands.run(COMMAND_TIMEOUT, "ip", "-n", NAME, "link", "set", "lo", "up");
        Runtime.getRuntime().addShutdownHook(new Thread(NoDnsNamespace::remove, "remove-" + NAME));
    }

    private static void remove() {
        Commands.runAllowingFailure(COMMAND_TIMEOUT, List.of("ip", "netns", "delete", NAME));
        try {
            Path config = Path.of("/etc/netns", NAME);
            Files.deleteIfExists(config.resolve("resolv.conf"));
            Files.deleteIfExists(config);
        } catch (IOException e) {
            // Best effort at exit: a leftover directory holds one line of text.
        }
    }
}
