package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.Scope;
import io.github.jmeterportscan.spec.Target;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rule every scan passes before anything is sent (no probe, no ARP or ND, no capture):
 * <ul>
 *   <li>a target outside one of the request's scopes is refused, and with it the whole scan, since
 *       a target outside the scope is a mistake in the scan's set-up, not a host to leave out;</li>
 *   <li>an address that is not a host is never scanned, whatever the scope: the unspecified
 *       address (0.0.0.0, ::), the limited broadcast 255.255.255.255, the broadcast address of a
 *       directly connected network, and multicast (224.0.0.0/4, ff00::/8). Such an address is left
 *       out with a warning and the other targets are scanned, since a CIDR block of a connected
 *       network always holds its broadcast address. An IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 *       is judged by its IPv4 address.</li>
 * </ul>
 * nmap has no such rule: it sends to all of these (it treats 0.0.0.0 as this host, and only its
 * host discovery notices that a host "seems to be a subnet broadcast address" and skips it).
 */
public final class TargetGuard {
    private static final byte[] LIMITED_BROADCAST = {-1, -1, -1, -1};

    private final Supplier<Map<InetAddress, String>> connectedBroadcasts;

    /**
     * @param connectedBroadcasts the broadcast addresses of the directly connected networks, each
     *                            with what it is ("the broadcast address of 198.18.0.0/24 on eth0");
     *                            read at most once per admission
     */
    public TargetGuard(Supplier<Map<InetAddress, String>> connectedBroadcasts) {
        this.connectedBroadcasts = connectedBroadcasts;
    }

    /** One target left out, and why: "is outside the scope 198.18.0.0/24 (--scope)". */
    public record Refusal(Target target, String reason) {
        /** "198.18.5.9 is outside the scope 198.18.0.0/24,::1 (--scope); not scanned". */
        public String message() {
            return target.addressString() + " " + reason + "; not scanned";
        }
    }

    /**
     * The verdict on a scan's targets.
     *
     * @param admitted     the targets that may be scanned, in their order
     * @param outsideScope targets outside a scope: the scan must not run
     * @param notHosts     addresses never scanned: left out with a warning
     */
    public record Admission(List<Target> admitted, List<Refusal> outsideScope, List<Refusal> notHosts) {
        public Admission {
            admitted = List.copyOf(admitted);
            outsideScope = List.copyOf(outsideScope);
            notHosts = List.copyOf(notHosts);
        }

        /** One warning line per address left out ("WARNING: 224.0.0.1 is a multicast address ..."). */
        public List<String> warnings() {
            return notHosts.stream().map(r -> "WARNING: " + r.message()).toList();
        }

        /**
         * The refusal of the scan when a target is outside the scope (naming the first one and how
         * many more there are), or when no target is left; empty when the scan may run.
         */
        public Optional<OutOfScopeException> refusal() {
            if (!outsideScope.isEmpty()) {
                int more = outsideScope.size() - 1;
                return Optional.of(new OutOfScopeException(outsideScope.get(0).message() + (more == 0 ? ""
                        : " (" + more + " more target" + (more == 1 ? " is" : "s are") + " outside the scope)")));
            }
            if (admitted.isEmpty() && !notHosts.isEmpty()) {
                return Optional.of(new OutOfScopeException(
                        String.join("; ", notHosts.stream().map(Refusal::message).toList())));
            }
            return Optional.empty();
        }
    }

    /**
     * Judges {@code targets} against every scope in {@code scopes} (none: no limit) and against the
     * addresses never scanned.
     */
    public Admission admit(List<Scope> scopes, List<Target> targets) {
        List<Target> admitted = new ArrayList<>(targets.size());
        List<Refusal> outside = new ArrayList<>();
        List<Refusal> notHosts = new ArrayList<>();
        Map<InetAddress, String> broadcasts = null;
        for (Target target : targets) {
            Optional<Scope> excluding = scopes.stream().filter(s -> !s.contains(target.address())).findFirst();
            if (excluding.isPresent()) {
                outside.add(new Refusal(target, excluding.get().outsideText()));
                continue;
            }
            InetAddress address = ipv4Of(target.address());
            Optional<String> notHost = notAHost(address);
            if (notHost.isEmpty() && address instanceof Inet4Address) {
                if (broadcasts == null) {
                    broadcasts = connectedBroadcasts.get();
                }
                notHost = Optional.ofNullable(broadcasts.get(address));
            }
            if (notHost.isPresent()) {
                notHosts.add(new Refusal(target, "is " + notHost.get()));
            } else {
                admitted.add(target);
            }
        }
        return new Admission(admitted, outside, notHosts);
    }

    /** What the address is when no host can have it, whichever networks this host is on. */
    static Optional<String> notAHost(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address instanceof Inet4Address && Arrays.equals(address.getAddress(), LIMITED_BROADCAST)) {
            return Optional.of("the limited broadcast address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address (" + (address instanceof Inet4Address ? "224.0.0.0/4" : "ff00::/8")
                    + ")");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), else the address itself. */
    private static InetAddress ipv4Of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return address;
            }
        }
        if (b[10] != -1 || b[11] != -1) {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address was refused", e);
        }
    }
}
