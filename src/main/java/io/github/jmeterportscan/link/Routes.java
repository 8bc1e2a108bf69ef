package io.github.jmeterportscan.link;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Route and source-address selection by asking the kernel itself: {@code ip -j route get ADDR
 * [oif IF]}.
 *
 * <p>Why not parse /proc/net/route and /proc/net/ipv6_route like nmap does: those files show only
 * the main table. Local addresses (127.0.0.0/8, and every address of this host, which the kernel
 * routes through lo) live in the local table and are absent; policy routing rules, VRFs, source
 * hints (prefsrc) and per-route metrics across tables would all have to be re-implemented, and a
 * re-implementation that differs from the kernel sends probes out of an interface the replies
 * will not come back on. {@code ip route get} runs the kernel's own FIB lookup, including the
 * source address the kernel would choose. One lookup is one short process; a scan of many hosts
 * asks for all of them through one process ({@link RouteBatch}). iproute2 is present on every
 * mainstream distribution and in CI.
 */
public final class Routes {
    private static final long TIMEOUT_MILLIS = 5_000;
    private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"");

    private Routes() {
    }

    /**
     * @param interfaceName nmap's {@code -e}: force this interface
     * @throws LinkException when the interface does not exist or is down, or there is no route
     */
    private static final String LOOPBACK_NAME = "lo";

    private static boolean isLoopbackItself(InetAddress destination) {
        byte[] a = destination.getAddress();
        return a.length == 4 ? a[0] == 127 && a[1] == 0 && a[2] == 0 && a[3] == 1
                : destination.isLoopbackAddress();
    }

    public static Route lookup(InetAddress destination, Optional<String> interfaceName) throws LinkException {
        NetInterface forced = null;
        if (interfaceName.isPresent()) {
            forced = NetInterface.byName(interfaceName.get());
        }
        if (forced == null && isLoopbackItself(destination)) {
            // The local routing table sends 127.0.0.1 and ::1 to themselves through lo, ahead of
            // every other rule: asking ip (a process start, costly next to a short scan) adds nothing.
            NetInterface lo = NetInterface.byName(LOOPBACK_NAME);
            if (lo.kind() == NetInterface.Kind.LOOPBACK) {
                return new Route(destination, lo, destination, Optional.empty(), true);
            }
        }
        List<String> command = new ArrayList<>(List.of("ip", "-j", "route", "get", literal(destination)));
        interfaceName.ifPresent(name -> Collections.addAll(command, "oif", name));
        return fromAnswer(destination, parse(run(command, destination)), forced, new HashMap<>(2));
    }

    /**
     * The route to {@code destination} for the zero or one address that {@link #lookup} settles
     * without asking the kernel (the loopback address itself); empty when the kernel must answer.
     */
    static Optional<Route> withoutKernel(InetAddress destination, Optional<String> interfaceName) throws LinkException {
        if (interfaceName.isPresent() || !isLoopbackItself(destination)) {
            return Optional.empty();
        }
        return Optional.of(lookup(destination, interfaceName));
    }

    /**
     * The route that the fields of {@code ip -j route get}'s answer describe.
     *
     * @param forced     the interface nmap's {@code -e} named, or null
     * @param interfaces interfaces already looked up by name in this batch; filled in here (asking
     *                   the JDK for an interface enumerates them all)
     */
    static Route fromAnswer(InetAddress destination, Map<String, String> fields, NetInterface forced,
            Map<String, NetInterface> interfaces) throws LinkException {
        String device = fields.get("dev");
        if (device == null) {
            throw new LinkException("Failed to determine route to " + literal(destination)
                    + " (the kernel names no interface for it)");
        }
        NetInterface nif = forced != null && forced.name().equals(device) ? forced : interfaces.get(device);
        if (nif == null) {
            nif = NetInterface.byName(device);
            interfaces.put(device, nif);
        }
        String type = fields.getOrDefault("type", "unicast");
        boolean local = "local".equals(type);
        if (!local && !"unicast".equals(type)) {
            throw new LinkException("Failed to determine route to " + literal(destination)
                    + " (route type " + type + ")");
        }
        Optional<InetAddress> gateway = Optional.ofNullable(fields.get("gateway")).map(Routes::parseLiteral);
        InetAddress source = Optional.ofNullable(fields.get("prefsrc")).map(Routes::parseLiteral)
                .orElseGet(() -> firstAddressOf(device, destination));
        if (source == null) {
            throw new LinkException("Failed to determine route to " + literal(destination) + ": interface "
                    + device + " has no " + family(destination) + " address to send from");
        }
        if (gateway.isPresent() && gateway.get().getClass() != destination.getClass()) {
            throw new LinkException("Failed to determine route to " + literal(destination)
                    + ": routes through a gateway of another address family are not supported");
        }
        return new Route(destination, nif, source, gateway, local);
    }

    static String run(List<String> command, InetAddress destination) throws LinkException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new LinkException("Failed to determine route to " + literal(destination)
                    + ": cannot run 'ip' (install iproute2): " + e.getMessage(), e);
        }
        try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new LinkException("Failed to determine route to " + literal(destination)
                        + ": 'ip route get' did not answer within " + TIMEOUT_MILLIS + " ms");
            }
            String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                // e.g. "RTNETLINK answers: Network is unreachable" or "Cannot find device"
                String why = stderr.replaceFirst("^RTNETLINK answers: ", "");
                throw new LinkException("Failed to determine route to " + literal(destination)
                        + (why.isEmpty() ? "" : ": " + why));
            }
            return stdout;
        } catch (IOException e) {
            throw new LinkException("Failed to determine route to " + literal(destination) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException("interrupted while looking up the route to " + literal(destination), e);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Reads the string fields of the first object of {@code ip -j}'s answer. The answer is one flat
     * object for a route lookup; a regular expression is enough and spares a JSON dependency.
     */
    static Map<String, String> parse(String json) {
        int end = json.indexOf('}');
        String first = end < 0 ? json : json.substring(0, end);
        Map<String, String> fields = new HashMap<>();
        Matcher m = STRING_FIELD.matcher(first);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2));
        }
        return fields;
    }

    private static InetAddress firstAddressOf(String device, InetAddress like) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(device);
            if (nif == null) {
                return null;
            }
            return Collections.list(nif.getInetAddresses()).stream()
                    .filter(a -> a.getClass() == like.getClass())
                    .filter(a -> !(a instanceof Inet6Address) || !a.isLinkLocalAddress() || like.isLinkLocalAddress())
                    .findFirst().orElse(null);
        } catch (SocketException e) {
            return null;
        }
    }

    /** A literal without the scope suffix ("fe80::1%eth0" becomes "fe80::1"). */
    static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int percent = text.indexOf('%');
        return percent < 0 ? text : text.substring(0, percent);
    }

    static InetAddress parseLiteral(String literal) {
        try {
            // Only literals reach here, so no name resolution happens.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("ip printed an address Java cannot read: " + literal, e);
        }
    }

    private static String family(InetAddress address) {
        return address instanceof Inet4Address ? "IPv4" : "IPv6";
    }
}
