package io.github.jmeterportscan.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One process inside a namespace that listens on many TCP ports at once, IPv4 and IPv6 (one
 * dual-stack socket per port), and accepts and closes every connection. It prints READY once all
 * sockets listen, so a scan started after {@link #start} returns never races the listener.
 */
final class PortListener implements AutoCloseable {
    private static final String SCRIPT = String.join("\n",
            "import selectors, socket, sys",
            "sel = selectors.DefaultSelector()",
            "for p in sys.argv[1].split(','):",
            "    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
            "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
            "    s.bind(('::', int(p)))",
            "    s.listen(512)",
            "    s.setblocking(False)",
            "    sel.register(s, selectors.EVENT_READ)",
            "print('READY', flush=True)",
            "while True:",
            "    for key, _ in sel.select():",
            "        try:",
            "            c, _ = key.fileobj.accept()",
            "            c.close()",
            "        except OSError:",
            "            pass",
            "");

    private final Process process;
    private final CompletableFuture<String> stderr;

    private PortListener(Process process, CompletableFuture<String> stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static PortListener start(String namespace, Collection<Integer> ports, Duration readyTimeout) {
        String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, python(), "-c", SCRIPT,
                portList));
        Process process = Commands.start(new ProcessBuilder(command));
        PortListener listener = new PortListener(process, Commands.drain(process.getErrorStream()));
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                firstLine.complete(String.valueOf(out.readLine()));
                while (out.readLine() != null) {
                    // keep draining so the listener never blocks on a full pipe
                }
            } catch (IOException e) {
                firstLine.complete("");
            }
        }, "port-listener-" + namespace);
        reader.setDaemon(true);
        reader.start();
        try {
            String line = firstLine.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!"READY".equals(line)) {
                listener.close();
                throw new LabException("port listener in " + namespace + " failed on ports " + portList + ": "
                        + listener.stderr.getNow("").strip());
            }
        } catch (TimeoutException | ExecutionException e) {
            listener.close();
            throw new LabException("port listener in " + namespace + " not ready within " + readyTimeout
                    + "; stderr: " + listener.stderr.getNow("").strip(), e);
        } catch (InterruptedException e) {
            listener.close();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting the port listener", e);
        }
        return listener;
    }

    /** The system python, so a user's pyenv or venv cannot change what runs in the lab. */
    private static String python() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        // ip netns exec execs python in place, so this is the listener's own pid
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
