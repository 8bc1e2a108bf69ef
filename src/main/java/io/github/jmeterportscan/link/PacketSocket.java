package io.github.jmeterportscan.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.util.concurrent.locks.StampedLock;

/**
 * A send-only packet socket (AF_PACKET, SOCK_RAW, protocol 0: it receives nothing) that puts
 * complete Ethernet frames on one interface. The frames leave through a socket other than the
 * capture's, so the capture sees them leave (the kernel hands a socket's own frames back to
 * every packet socket but the sender) and stamps the time each probe went on the wire.
 */
final class PacketSocket implements AutoCloseable {
    /** struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]. */
    private static final int SOCKADDR_LL_SIZE = 20;

    private final int fd;
    private final Memory address;
    private final String interfaceName;
    private final String sendFailure;
    /** Readers are senders; the writer is close(), so the descriptor is never used after it was closed. */
    private final StampedLock closeLock = new StampedLock();
    private boolean closed;

    private PacketSocket(int fd, Memory address, String interfaceName) {
        this.fd = fd;
        this.address = address;
        this.interfaceName = interfaceName;
        this.sendFailure = "cannot send on interface " + interfaceName + ": ";
    }

    /** Opens a socket that sends frames of {@code etherType} on {@code netInterface}. */
    static PacketSocket open(NetInterface netInterface, int etherType) throws LinkException {
        int fd;
        try {
            fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw new LinkException("cannot open a packet socket on " + netInterface.name() + ": "
                    + LibC.strerror(e.getErrorCode()) + " (raw scans need root or CAP_NET_RAW)", e);
        }
        Memory address = new Memory(SOCKADDR_LL_SIZE);
        address.clear();
        address.setShort(0, (short) LibC.AF_PACKET);
        address.setByte(2, (byte) (etherType >>> 8));
        address.setByte(3, (byte) etherType);
        address.setInt(4, netInterface.index());
        return new PacketSocket(fd, address, netInterface.name());
    }

    /** Sends {@code frame[0, length)}, waiting out a full interface queue a bounded number of times. */
    void send(byte[] frame, int length) throws IOException {
        long stamp = closeLock.readLock();
        try {
            if (closed) {
                throw new IOException("the packet socket on " + interfaceName + " is closed");
            }
            Sendto.send(fd, frame, 0, length, address, SOCKADDR_LL_SIZE, sendFailure);
        } finally {
            closeLock.unlockRead(stamp);
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        long stamp = closeLock.writeLock();
        try {
            if (!closed) {
                closed = true;
                try {
                    LibC.close(fd);
                } catch (LastErrorException e) {
                    // The descriptor is gone either way.
                }
                address.close();
            }
        } finally {
            closeLock.unlockWrite(stamp);
        }
    }
}
