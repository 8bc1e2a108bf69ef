package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;

/**
 * Sends complete Ethernet frames (our MAC, the next hop's MAC, resolved once when the link opens,
 * and the datagram) through a packet socket of its own, and receives through the interface's
 * shared capture, which sees the probes leave. Used for Ethernet interfaces other than lo.
 */
final class PcapLink extends CapturedLink {
    private static final int ETHERNET_HEADER = 14;
    /** Per-thread frame buffer, grown to the largest frame sent. */
    private static final ThreadLocal<byte[]> FRAMES = ThreadLocal.withInitial(() -> new byte[0]);

    private final byte[] header;
    private final MacAddress nextHopMac;
    private final boolean ipv4;
    private final PacketSocket socket;

    private PcapLink(Route route, Capture capture, MacAddress nextHopMac, PacketSocket socket) {
        super(route, capture);
        this.nextHopMac = nextHopMac;
        this.socket = socket;
        this.header = new byte[ETHERNET_HEADER];
        nextHopMac.writeTo(header, 0);
        route.netInterface().hardwareAddress().orElseThrow().writeTo(header, 6);
        this.ipv4 = route.destination() instanceof Inet4Address;
        int type = ipv4 ? LinkHeader.ETHERTYPE_IPV4 : LinkHeader.ETHERTYPE_IPV6;
        header[12] = (byte) (type >>> 8);
        header[13] = (byte) type;
    }

    /**
     * @param resolved next hops whose MAC address this batch of opens already resolved; filled in
     *                 here, so that hosts behind one gateway cost one neighbour lookup
     */
    static PcapLink open(Route route, Map<InetAddress, MacAddress> resolved) throws LinkException {
        Capture capture = Captures.acquire(route.netInterface(), route.source());
        try {
            MacAddress mac = resolved.get(route.nextHop());
            if (mac == null) {
                mac = NeighbourResolver.resolve(capture, route.netInterface(), route.source(), route.nextHop());
                resolved.put(route.nextHop(), mac);
            }
            int etherType = route.destination() instanceof Inet4Address ? LinkHeader.ETHERTYPE_IPV4
                    : LinkHeader.ETHERTYPE_IPV6;
            return new PcapLink(route, capture, mac, PacketSockets.acquire(route.netInterface(), etherType));
        } catch (LinkException | RuntimeException e) {
            Captures.release(capture, route.source());
            if (e instanceof LinkException && route.directlyConnected()) {
                throw new LinkException("Failed to determine dst MAC address for target "
                        + Routes.literal(route.destination()) + " (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    MacAddress nextHopMac() {
        return nextHopMac;
    }

    @Override
    public java.util.Optional<String> destinationMacAddress() {
        return route.directlyConnected()
                ? java.util.Optional.of(nextHopMac.toString().toUpperCase(java.util.Locale.ROOT))
                : java.util.Optional.empty();
    }

    @Override
    public void send(byte[] datagram, int offset, int length) throws IOException {
        if (isClosed()) {
            throw new IOException("link to " + Routes.literal(route.destination()) + " is closed");
        }
        if (length <= 0 || length > route.netInterface().mtu()) {
            throw new IOException("cannot send a datagram of " + length + " bytes on " + interfaceName()
                    + " (MTU " + route.netInterface().mtu() + ")");
        }
        int frameLength = ETHERNET_HEADER + length;
        byte[] frame = FRAMES.get();
        if (frame.length < frameLength) {
            frame = new byte[frameLength];
            FRAMES.set(frame);
        }
        System.arraycopy(header, 0, frame, 0, ETHERNET_HEADER);
        System.arraycopy(datagram, offset, frame, ETHERNET_HEADER, length);
        if (ipv4) {
            fillIpv4HeaderChecksum(frame, ETHERNET_HEADER, length);
        }
        capture.checkAlive();
        socket.send(frame, frameLength);
    }

    /**
     * A raw socket has the kernel fill the IPv4 header checksum; on this path nothing else would,
     * and a receiver silently drops a datagram whose header checksum is wrong.
     */
    static void fillIpv4HeaderChecksum(byte[] frame, int ip, int length) {
        int headerLength = (frame[ip] & 0x0f) * 4;
        if (headerLength < 20 || headerLength > length) {
            return; // malformed: let the receiver reject it rather than guess
        }
        frame[ip + 10] = 0;
        frame[ip + 11] = 0;
        int checksum = InternetChecksum.finish(InternetChecksum.add(0, frame, ip, headerLength));
        frame[ip + 10] = (byte) (checksum >>> 8);
        frame[ip + 11] = (byte) checksum;
    }

    @Override
    protected void closeSender() {
        PacketSockets.release(socket);
    }
}
