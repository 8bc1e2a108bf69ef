package io.github.jmeterportscan.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * sendto(2) of bytes from the Java heap, for the raw IP and packet sockets: the bytes go through
 * a per-thread native buffer (sendto needs native memory, and threads must not share it), and a
 * full queue toward the interface (ENOBUFS) is waited out a bounded number of times.
 */
final class Sendto {
    /** The largest IP datagram, with room for an Ethernet header. */
    private static final int MAX_BYTES = 65_535 + 14;
    private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(MAX_BYTES));
    private static final int MAX_BUSY_RETRIES = 200;
    private static final long BUSY_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private Sendto() {
    }

    /**
     * Sends {@code data[offset, offset + length)} to {@code address}.
     *
     * @param failure the start of the message of the exception thrown when the kernel refuses
     *                (the error's text follows)
     */
    static void send(int fd, byte[] data, int offset, int length, Pointer address, int addressLength,
            String failure) throws IOException {
        if (length <= 0 || length > MAX_BYTES) {
            throw new IOException("cannot send " + length + " bytes");
        }
        Memory buffer = BUFFERS.get();
        buffer.write(0, data, offset, length);
        for (int attempt = 0;; attempt++) {
            try {
                LibC.sendto(fd, buffer, length, 0, address, addressLength);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.ENOBUFS || attempt >= MAX_BUSY_RETRIES) {
                    throw new IOException(failure + LibC.strerror(e.getErrorCode()), e);
                }
                LockSupport.parkNanos(BUSY_WAIT_NANOS);
            }
        }
    }
}
