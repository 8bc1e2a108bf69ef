package io.github.jmeterportscan.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * Sends through a header-included raw IP socket, for loopback and links without Ethernet framing
 * (as nmap does): pcap injection toward 127.0.0.0/8 is dropped by Linux as martian, while a raw
 * socket reaches it with no sysctl change. The kernel fills the IPv4 total length, header checksum
 * and (when zero) the IP ID; TCP checksums are the caller's.
 *
 * <p>The socket is bound to the route's interface (SO_BINDTODEVICE) so that sends fail with an
 * error, instead of leaking out another interface, when that interface disappears.
 */
final class RawSocketLink extends CapturedLink {
    /** Per-thread sendmmsg vector, made by the threads that send batches (the scan loops and send helpers). */
    private static final ThreadLocal<MessageVector> VECTORS = ThreadLocal.withInitial(MessageVector::new);

    private final int fd;
    private final Memory sockaddr;
    private final int sockaddrLength;
    private final String sendFailure;
    /**
     * Readers are senders; the writer is close(), so an fd is never used after it was closed (and
     * reused). A StampedLock: ReentrantReadWriteLock counts the holds of every reader but the first
     * in a ThreadLocal, which allocated and freed an entry per probe once a scan sent from two
     * threads.
     */
    private final StampedLock closeLock = new StampedLock();
    private boolean socketClosed;

    private RawSocketLink(Route route, Capture capture, int fd, Memory sockaddr, int sockaddrLength) {
        super(route, capture);
        this.fd = fd;
        this.sockaddr = sockaddr;
        this.sockaddrLength = sockaddrLength;
        this.sendFailure = "sendto " + Routes.literal(route.destination()) + " via " + interfaceName() + " failed: ";
    }

    static RawSocketLink open(Route route) throws LinkException {
        boolean v4 = route.destination() instanceof Inet4Address;
        int fd;
        try {
            fd = LibC.socket(v4 ? LibC.AF_INET : LibC.AF_INET6, LibC.SOCK_RAW, LibC.IPPROTO_RAW);
        } catch (LastErrorException e) {
            throw new LinkException("cannot open a raw " + (v4 ? "IPv4" : "IPv6") + " socket: "
                    + LibC.strerror(e.getErrorCode()) + " (raw scans need root or CAP_NET_RAW)", e);
        }
        try {
            configure(fd, v4, route.netInterface().name());
            Memory sockaddr = v4 ? sockaddrIn(route.destination()) : sockaddrIn6(route);
            Capture capture = Captures.acquire(route.netInterface(), route.source());
            return new RawSocketLink(route, capture, fd, sockaddr, (int) sockaddr.size());
        } catch (LinkException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    private static void configure(int fd, boolean v4, String interfaceName) throws LinkException {
        if (!v4) {
            // IPPROTO_RAW implies header inclusion for IPv6 on Linux too; kernels >= 4.5 also take the
            // explicit option, which we set so the intent does not rest on an implication.
            Memory one = new Memory(4);
            one.setInt(0, 1);
            try {
                LibC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_HDRINCL, one, 4);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.ENOPROTOOPT) {
                    throw new LinkException("cannot set IPV6_HDRINCL: " + LibC.strerror(e.getErrorCode()), e);
                }
            }
        }
        byte[] name = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
        Memory device = new Memory(name.length);
        device.write(0, name, 0, name.length);
        try {
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, device, name.length);
        } catch (LastErrorException e) {
            throw new LinkException("cannot bind the raw socket to interface " + interfaceName + ": "
                    + LibC.strerror(e.getErrorCode()), e);
        }
    }

    /** struct sockaddr_in: family in host order, port and address in network order. */
    private static Memory sockaddrIn(InetAddress destination) {
        Memory m = new Memory(16);
        m.clear();
        m.setShort(0, (short) LibC.AF_INET); // Memory writes in native (host) order
        m.write(4, destination.getAddress(), 0, 4);
        return m;
    }

    /** struct sockaddr_in6; scope id (host order) matters only for link-local destinations. */
    private static Memory sockaddrIn6(Route route) {
        Memory m = new Memory(28);
        m.clear();
        m.setShort(0, (short) LibC.AF_INET6);
        m.write(8, route.destination().getAddress(), 0, 16);
        if (route.destination().isLinkLocalAddress()) {
            m.setInt(24, route.netInterface().index());
        }
        return m;
    }

    @Override
    public void send(byte[] datagram, int offset, int length) throws IOException {
        long stamp = closeLock.readLock();
        try {
            checkUsable();
            sendLocked(datagram, offset, length);
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /**
     * One sendmmsg per 64 datagrams instead of a sendto each: on loopback the kernel's own work
     * per probe is a few microseconds, and a system call and JNA's crossing around it per probe
     * would add a noticeable share to that. A datagram the kernel refuses is sent again alone, which gives its error
     * (and waits out a full queue as {@link #send} does); the rest go on in batches.
     */
    @Override
    public void sendAll(byte[][] datagrams, int[] lengths, IOException[] failures, int from, int count) {
        if (count == 1 || !MessageVector.fits(lengths, from, count)) {
            PacketLink.sendEach(this, datagrams, lengths, failures, from, count);
            return;
        }
        long stamp = closeLock.readLock();
        try {
            checkUsable();
            MessageVector vector = VECTORS.get();
            int end = from + count;
            int k = from;
            while (k < end) {
                int n = Math.min(end - k, MessageVector.MAX_MESSAGES);
                for (int i = 0; i < n; i++) {
                    vector.set(i, datagrams[k + i], lengths[k + i], sockaddr, sockaddrLength);
                }
                int sent;
                try {
                    sent = LibC.sendmmsg(fd, vector.pointer(), n, 0);
                } catch (LastErrorException e) {
                    sent = 0;
                }
                for (int i = 0; i < sent; i++) {
                    failures[k + i] = null;
                }
                k += sent;
                if (sent < n) {
                    failures[k] = sendAlone(datagrams[k], lengths[k]);
                    k++;
                }
            }
        } catch (IOException e) {
            Arrays.fill(failures, from, from + count, e);
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /** Sends one datagram with the read lock already held; returns why it failed, or null. */
    private IOException sendAlone(byte[] datagram, int length) {
        try {
            sendLocked(datagram, 0, length);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private void checkUsable() throws IOException {
        if (socketClosed) {
            throw new IOException("link to " + Routes.literal(route.destination()) + " is closed");
        }
        capture.checkAlive();
    }

    private void sendLocked(byte[] datagram, int offset, int length) throws IOException {
        Sendto.send(fd, datagram, offset, length, sockaddr, sockaddrLength, sendFailure);
    }

    /** Whether new scans may still use it: open, and its capture alive. */
    boolean isUsable() {
        return !isClosed() && capture.isAlive();
    }

    @Override
    protected void closeSender() {
        long stamp = closeLock.writeLock();
        try {
            socketClosed = true;
            closeQuietly(fd);
        } finally {
            closeLock.unlockWrite(stamp);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // Nothing useful to do: the descriptor is gone either way.
        }
    }
}
