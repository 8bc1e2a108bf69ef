package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.InetAddress;

/**
 * A way to put hand-made IP datagrams on the wire toward one destination, and to see what comes
 * back. Opened per scan; the capture underneath is shared by every link on the same interface.
 */
public interface PacketLink extends AutoCloseable {
    /** The address our probes carry as source (chosen from the routing table). */
    InetAddress sourceAddress();

    /** The interface packets leave by ("lo", "eth0", "veth-lab0"). */
    String interfaceName();

    /**
     * Sends one complete IP datagram (the IPv4 or IPv6 header first, checksums filled in by the
     * caller except the IPv4 header checksum, which the kernel or this link fills). Thread-safe.
     *
     * @throws IOException when the datagram could not be handed to the kernel or the interface
     */
    void send(byte[] datagram, int offset, int length) throws IOException;

    /**
     * Sends {@code datagrams[k][0, lengths[k])} for k in [from, from + count), in as few system
     * calls as the link can, and records in {@code failures[k]} why each one could not be sent
     * (null when it was). Thread-safe.
     */
    default void sendAll(byte[][] datagrams, int[] lengths, IOException[] failures, int from, int count) {
        sendEach(this, datagrams, lengths, failures, from, count);
    }

    /**
     * {@link #sendAll} one {@link #send} at a time. Any failure, unchecked ones included, stays
     * with its own datagram: the others of the run were or will be sent all the same.
     */
    static void sendEach(PacketLink link, byte[][] datagrams, int[] lengths, IOException[] failures, int from,
            int count) {
        for (int k = from; k < from + count; k++) {
            try {
                link.send(datagrams[k], 0, lengths[k]);
                failures[k] = null;
            } catch (IOException e) {
                failures[k] = e;
            } catch (RuntimeException e) {
                failures[k] = new IOException(String.valueOf(e), e);
            }
        }
    }

    /**
     * Starts delivering every captured packet sent to {@link #sourceAddress()} (TCP, ICMP, ICMPv6)
     * to {@code handler}, until the returned registration is closed. The capture is running (its
     * filter set) when this method returns, so a probe sent afterwards cannot be missed.
     */
    Subscription subscribe(PacketHandler handler) throws IOException;

    /**
     * As {@link #subscribe(PacketHandler)}, for the packets to local ports [firstPort, firstPort +
     * count) only: TCP segments to them, and ICMP errors quoting a segment from them. The capture
     * routes by port before any handler runs, so many scans sharing an interface (JMeter threads)
     * do not each look at every reply.
     */
    Subscription subscribe(PacketHandler handler, int firstPort, int count) throws IOException;

    /**
     * libpcap's counters for the capture under this link (shared by every link on the interface),
     * so the engine can report drops. After close, the last values seen.
     */
    CaptureStats captureStats();

    /**
     * The same counters as last read by anyone (a fraction of a second old at most while the
     * capture runs), without asking libpcap: a lower bound of the current ones, for free.
     */
    default CaptureStats recentCaptureStats() {
        return captureStats();
    }

    /**
     * The destination's Ethernet address when it sits on the local segment (the next hop is the
     * destination itself), in nmap's spelling ("02:00:7C:8E:9C:02"); nmap reports it for such hosts.
     */
    default java.util.Optional<String> destinationMacAddress() {
        return java.util.Optional.empty();
    }

    /** The capture this link's replies come through, for a scan that waits for them. */
    default CaptureWaitProtocol captureReader() {
        return CaptureWaitProtocol.NONE;
    }

    /** Releases this link's share of the capture; the last one out closes it. */
    @Override
    void close();

    /** A handler's registration with the shared capture. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
