package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Asks who is at an address on a directly connected Ethernet network, as nmap's ARP and ND host
 * discovery does: ARP requests for IPv4, neighbor solicitations for IPv6, sent by the interface's
 * shared capture, whose answers (ARP replies, neighbor advertisements) go to a listener. One per
 * interface and source address; many targets share it.
 */
public final class NeighbourSolicitor implements AutoCloseable {
    private final Route route;
    private final Capture capture;
    private final MacAddress ours;
    private boolean closed;

    /** Who answered a solicitation, and when the answer was on the wire. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param sender    the address the answer speaks for
         * @param mac       its Ethernet address
         * @param wireNanos when the answer was captured, on the {@link System#nanoTime()} clock
         */
        void answered(InetAddress sender, MacAddress mac, long wireNanos);
    }

    private NeighbourSolicitor(Route route, Capture capture, MacAddress ours) {
        this.route = route;
        this.capture = capture;
        this.ours = ours;
    }

    /**
     * Opens the capture of {@code route}'s interface for its source address.
     *
     * @throws LinkException when the interface has no Ethernet address or cannot be captured on
     */
    public static NeighbourSolicitor open(Route route) throws LinkException {
        Optional<MacAddress> mac = route.netInterface().hardwareAddress();
        if (route.netInterface().kind() != NetInterface.Kind.ETHERNET || mac.isEmpty()) {
            throw new LinkException("interface " + route.netInterface().name() + " is not an Ethernet interface: "
                    + "ARP and neighbor discovery need one");
        }
        return new NeighbourSolicitor(route, Captures.acquire(route.netInterface(), route.source()), mac.get());
    }

    /** Whether host discovery may ask this route's destination itself on the wire (ARP/ND). */
    public static boolean applies(Route route) {
        return route.directlyConnected() && !route.local()
                && route.netInterface().kind() == NetInterface.Kind.ETHERNET
                && route.netInterface().hardwareAddress().isPresent();
    }

    /** Sends one ARP request (IPv4) or neighbor solicitation (IPv6) for {@code target}. */
    public void solicit(InetAddress target) throws IOException {
        byte[] frame = target instanceof Inet4Address
                ? NeighbourResolver.arpRequest(ours, route.source(), target)
                : NeighbourResolver.neighborSolicitation(ours, route.source(), target);
        capture.inject(frame, frame.length);
    }

    /** Hands every ARP reply and neighbor advertisement addressed to us to {@code listener} until closed. */
    public PacketLink.Subscription listen(Listener listener) throws IOException {
        return capture.subscribe((frame, off, len, nanos) -> onFrame(frame, off, len, nanos, listener));
    }

    private void onFrame(byte[] f, int off, int len, long nanos, Listener listener) {
        if (off < 14) {
            return;
        }
        int etherType = LinkHeader.etherType(f, off);
        if (etherType == LinkHeader.ETHERTYPE_ARP) {
            // Ethernet/IPv4 reply (opcode 2) whose target hardware address is ours.
            if (len >= off + 28 && f[off + 6] == 0 && f[off + 7] == 2 && ours.matches(f, off + 18)) {
                listener.answered(address(f, off + 14, 4), MacAddress.read(f, off + 8), nanos);
            }
        } else if (etherType == LinkHeader.ETHERTYPE_IPV6) {
            int icmp = off + 40;
            if (len >= icmp + 24 && f[off + 6] == 58 && (f[icmp] & 0xff) == 136) {
                listener.answered(address(f, icmp + 8, 16), advertisedMac(f, icmp, len), nanos);
            }
        }
    }

    /** The target link-layer address option of an advertisement, else the frame's source address. */
    private static MacAddress advertisedMac(byte[] f, int icmp, int len) {
        for (int opt = icmp + 24; opt + 8 <= len; ) {
            int optLength = (f[opt + 1] & 0xff) * 8;
            if (optLength == 0) {
                break;
            }
            if (f[opt] == 2) {
                return MacAddress.read(f, opt + 2);
            }
            opt += optLength;
        }
        return MacAddress.read(f, 6);
    }

    private static InetAddress address(byte[] f, int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(f, offset, offset + length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Captures.release(capture, route.source());
        }
    }
}
