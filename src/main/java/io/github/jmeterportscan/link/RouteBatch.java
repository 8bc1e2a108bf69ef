package io.github.jmeterportscan.link;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's routes to many destinations from one {@code ip -j -force -batch -} process: one
 * {@code route get} line per distinct destination, the same FIB lookup as {@link Routes#lookup},
 * without a process start per destination (a sweep of thousands of hosts would spend its time
 * starting processes). A destination the batch gives no answer for (the kernel refused it) is
 * asked once more on its own, which yields the kernel's own error message.
 */
final class RouteBatch {
    private static final Logger LOG = LoggerFactory.getLogger(RouteBatch.class);
    /** Time allowed per destination on top of {@link #BASE_TIMEOUT_MILLIS}: lookups are microseconds. */
    private static final long MILLIS_PER_DESTINATION = 1;
    private static final long BASE_TIMEOUT_MILLIS = 5_000;
    private static final AtomicLong PROCESSES = new AtomicLong();

    private RouteBatch() {
    }

    /** The routes to {@code destinations}, in their order. */
    static List<Route> lookupAll(List<InetAddress> destinations, Optional<String> interfaceName) throws LinkException {
        if (RouteGroups.applies(destinations, interfaceName)) {
            return RouteGroups.lookupAll(destinations);
        }
        return lookupEach(destinations, interfaceName);
    }

    /** The routes to {@code destinations}, each asked of the kernel (duplicates share one lookup). */
    static List<Route> lookupEach(List<InetAddress> destinations, Optional<String> interfaceName) throws LinkException {
        NetInterface forced = interfaceName.isPresent() ? NetInterface.byName(interfaceName.get()) : null;
        Map<InetAddress, Route> known = new HashMap<>();
        Set<InetAddress> ask = new LinkedHashSet<>();
        for (InetAddress destination : destinations) {
            Optional<Route> settled = Routes.withoutKernel(destination, interfaceName);
            if (settled.isPresent()) {
                known.put(destination, settled.get());
            } else {
                ask.add(destination);
            }
        }
        if (ask.size() > 1) {
            Map<String, NetInterface> interfaces = new HashMap<>();
            for (Map.Entry<InetAddress, Map<String, String>> answer : ask(ask, interfaceName).entrySet()) {
                known.put(answer.getKey(), Routes.fromAnswer(answer.getKey(), answer.getValue(), forced, interfaces));
            }
        }
        List<Route> routes = new ArrayList<>(destinations.size());
        for (InetAddress destination : destinations) {
            Route route = known.get(destination);
            if (route == null) {
                route = Routes.lookup(destination, interfaceName);
                known.put(destination, route);
            }
            routes.add(route);
        }
        return routes;
    }

    /** The answers {@code ip} gave, by destination; destinations it refused are absent. */
    private static Map<InetAddress, Map<String, String>> ask(Set<InetAddress> destinations,
            Optional<String> interfaceName) throws LinkException {
        String oif = interfaceName.map(name -> " oif " + name).orElse("");
        PROCESSES.incrementAndGet();
        Process process;
        try {
            // stderr says why a line failed; the destination is asked again alone for the message.
            process = new ProcessBuilder("ip", "-j", "-force", "-batch", "-")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new LinkException("Failed to determine routes: cannot run 'ip' (install iproute2): "
                    + e.getMessage(), e);
        }
        Thread writer = new Thread(() -> writeCommands(process.getOutputStream(), destinations, oif),
                "route-batch-writer");
        writer.setDaemon(true);
        writer.start();
        Map<InetAddress, Map<String, String>> answers = new HashMap<>(destinations.size() * 2);
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                Map<String, String> fields = Routes.parse(line);
                String dst = fields.get("dst");
                if (dst != null) {
                    answers.put(Routes.parseLiteral(dst), fields);
                }
            }
            long timeout = BASE_TIMEOUT_MILLIS + MILLIS_PER_DESTINATION * destinations.size();
            if (!process.waitFor(timeout, TimeUnit.MILLISECONDS)) {
                throw new LinkException("Failed to determine routes: 'ip -batch' did not finish within "
                        + timeout + " ms");
            }
            writer.join(timeout);
        } catch (IOException e) {
            throw new LinkException("Failed to determine routes: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException("interrupted while looking up routes", e);
        } finally {
            process.destroyForcibly();
        }
        return answers;
    }

    /** How many batch lookups this JVM has started; for tests and diagnostics. */
    static long processesStarted() {
        return PROCESSES.get();
    }

    private static void writeCommands(OutputStream stdin, Set<InetAddress> destinations, String oif) {
        try (Writer in = new OutputStreamWriter(stdin, StandardCharsets.US_ASCII)) {
            StringBuilder line = new StringBuilder(64);
            for (InetAddress destination : destinations) {
                line.setLength(0);
                line.append("route get ").append(Routes.literal(destination)).append(oif).append('\n');
                in.write(line.toString());
            }
        } catch (IOException e) {
            // ip ended early (killed on a timeout): the reader sees the missing answers.
            LOG.debug("writing route lookups to ip failed", e);
        }
    }
}
