package io.github.jmeterportscan.link;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Ethernet address of a next hop: first in the kernel's neighbour cache, then by asking
 * on the wire ourselves (ARP request for IPv4, Neighbor Solicitation for IPv6), as nmap does. We
 * ask ourselves rather than provoking the kernel with a datagram to the next hop, because that
 * would put a packet on the wire that is not part of the scan, and its resolution is not
 * observable except by polling the table.
 */
final class NeighbourResolver {
    private static final Logger LOG = LoggerFactory.getLogger(NeighbourResolver.class);
    static final long ATTEMPT_TIMEOUT_MILLIS = 1_000;
    static final int ATTEMPTS = 2;

    private NeighbourResolver() {
    }

    static MacAddress resolve(Capture capture, NetInterface nif, InetAddress source, InetAddress nextHop)
            throws LinkException {
        Optional<MacAddress> cached = NeighbourTable.lookup(nextHop, nif.name());
        if (cached.isPresent()) {
            return cached.get();
        }
        MacAddress ours = nif.hardwareAddress().orElseThrow();
        byte[] request = nextHop instanceof Inet4Address
                ? arpRequest(ours, source, nextHop)
                : neighborSolicitation(ours, source, nextHop);
        CompletableFuture<MacAddress> answer = new CompletableFuture<>();
        byte[] target = nextHop.getAddress();
        PacketHandler listener = nextHop instanceof Inet4Address
                ? (frame, off, len, nanos) -> onArp(frame, off, len, target, ours, answer)
                : (frame, off, len, nanos) -> onNeighborAdvertisement(frame, off, len, target, answer);
        try (PacketLink.Subscription ignored = capture.subscribe(listener)) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                capture.inject(request, request.length);
                try {
                    MacAddress mac = answer.get(ATTEMPT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                    LOG.debug("{} is at {} (asked on {})", Routes.literal(nextHop), mac, nif.name());
                    return mac;
                } catch (TimeoutException e) {
                    LOG.debug("no answer from {} on {} (attempt {})", Routes.literal(nextHop), nif.name(), attempt);
                }
            }
        } catch (IOException e) {
            throw new LinkException("Failed to determine dst MAC address for " + Routes.literal(nextHop)
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkException("interrupted while resolving the MAC address of " + Routes.literal(nextHop), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        throw new LinkException("Failed to determine dst MAC address for " + Routes.literal(nextHop)
                + " on " + nif.name() + " (no answer to " + (nextHop instanceof Inet4Address ? "ARP" : "neighbor solicitation")
                + " in " + ATTEMPTS + " tries)");
    }

    static byte[] arpRequest(MacAddress ours, InetAddress source, InetAddress target) {
        byte[] f = new byte[42];
        MacAddress.BROADCAST.writeTo(f, 0);
        ours.writeTo(f, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        f[15] = 1; // hardware type Ethernet
        f[16] = 0x08; // protocol IPv4
        f[18] = 6;
        f[19] = 4;
        f[21] = 1; // request
        ours.writeTo(f, 22);
        System.arraycopy(source.getAddress(), 0, f, 28, 4);
        System.arraycopy(target.getAddress(), 0, f, 38, 4);
        return f;
    }

    private static void onArp(byte[] f, int off, int len, byte[] target, MacAddress ours,
            CompletableFuture<MacAddress> answer) {
        if (off != 14 && off != 18 && off != 22 || LinkHeader.etherType(f, off) != LinkHeader.ETHERTYPE_ARP
                || len < off + 28) {
            return;
        }
        boolean reply = f[off + 6] == 0 && f[off + 7] == 2;
        if (reply && Arrays.equals(f, off + 14, off + 18, target, 0, 4) && ours.matches(f, off + 18)) {
            answer.complete(MacAddress.read(f, off + 8));
        }
    }

    static byte[] neighborSolicitation(MacAddress ours, InetAddress source, InetAddress target) {
        byte[] t = target.getAddress();
        byte[] f = new byte[14 + 40 + 32];
        // Solicited-node multicast group ff02::1:ffXX:XXXX and its Ethernet group 33:33:ff:XX:XX:XX.
        byte[] group = new byte[16];
        group[0] = (byte) 0xff;
        group[1] = 0x02;
        group[11] = 1;
        group[12] = (byte) 0xff;
        System.arraycopy(t, 13, group, 13, 3);
        f[0] = 0x33;
        f[1] = 0x33;
        System.arraycopy(group, 12, f, 2, 4);
        ours.writeTo(f, 6);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xdd;
        int ip = 14;
        f[ip] = 0x60;
        f[ip + 5] = 32; // payload length
        f[ip + 6] = 58; // ICMPv6
        f[ip + 7] = (byte) 255; // hop limit 255, or the answer is ignored (RFC 4861)
        System.arraycopy(source.getAddress(), 0, f, ip + 8, 16);
        System.arraycopy(group, 0, f, ip + 24, 16);
        int icmp = ip + 40;
        f[icmp] = (byte) 135;
        System.arraycopy(t, 0, f, icmp + 8, 16);
        f[icmp + 24] = 1; // option: source link-layer address, so the answer can come back unicast
        f[icmp + 25] = 1;
        ours.writeTo(f, icmp + 26);
        long sum = InternetChecksum.add(0, f, ip + 8, 32); // pseudo-header: addresses
        sum += 32 + 58; // upper-layer length and next header
        sum = InternetChecksum.add(sum, f, icmp, 32);
        int checksum = InternetChecksum.finish(sum);
        f[icmp + 2] = (byte) (checksum >>> 8);
        f[icmp + 3] = (byte) checksum;
        return f;
    }

    private static void onNeighborAdvertisement(byte[] f, int off, int len, byte[] target,
            CompletableFuture<MacAddress> answer) {
        int icmp = off + 40;
        if (len < icmp + 24 || (f[off] & 0xf0) != 0x60 || f[off + 6] != 58 || (f[icmp] & 0xff) != 136
                || !Arrays.equals(f, icmp + 8, icmp + 24, target, 0, 16)) {
            return;
        }
        // Prefer the target link-layer address option; a reply without it comes from the owner itself.
        for (int opt = icmp + 24; opt + 8 <= len; ) {
            int optLength = (f[opt + 1] & 0xff) * 8;
            if (optLength == 0) {
                break;
            }
            if (f[opt] == 2 && optLength >= 8) {
                answer.complete(MacAddress.read(f, opt + 2));
                return;
            }
            opt += optLength;
        }
        if (off >= 14) {
            answer.complete(MacAddress.read(f, 6));
        }
    }
}
