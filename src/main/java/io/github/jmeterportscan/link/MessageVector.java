package io.github.jmeterportscan.link;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One thread's {@code struct mmsghdr[]} for sendmmsg(2), with an iovec and a data slot per
 * message, all in one block of native memory that is laid out once: filling a message is a copy
 * of its bytes and two or three stores through a ByteBuffer view, with no JNA Structure and no
 * call into native code. Probes are 40 to 80 bytes; a datagram longer than a slot goes out alone.
 *
 * <p>Layout (LP64, which {@link RawAccess} checks): struct msghdr is msg_name (8), msg_namelen
 * (4 + 4 padding), msg_iov (8), msg_iovlen (8), msg_control (8), msg_controllen (8), msg_flags
 * (4 + 4 padding); struct mmsghdr adds msg_len (4 + 4 padding): 64 bytes. struct iovec is
 * iov_base (8) and iov_len (8).
 */
final class MessageVector {
    /** Messages per system call: beyond a few dozen the call's own cost is no longer visible. */
    static final int MAX_MESSAGES = 64;
    /** The longest datagram a slot holds. */
    static final int MAX_LENGTH = 128;

    private static final int MMSGHDR_SIZE = 64;
    private static final int NAME = 0;
    private static final int NAME_LENGTH = 8;
    private static final int IOV = 16;
    private static final int IOV_LENGTH = 24;
    private static final int IOVEC_SIZE = 16;
    private static final int IOVECS = MAX_MESSAGES * MMSGHDR_SIZE;
    private static final int DATA = IOVECS + MAX_MESSAGES * IOVEC_SIZE;
    private static final int SIZE = DATA + MAX_MESSAGES * MAX_LENGTH;

    private final Memory memory = new Memory(SIZE);
    private final ByteBuffer view = memory.getByteBuffer(0, SIZE).order(ByteOrder.nativeOrder());

    MessageVector() {
        memory.clear();
        long base = Pointer.nativeValue(memory);
        for (int i = 0; i < MAX_MESSAGES; i++) {
            int header = i * MMSGHDR_SIZE;
            int iovec = IOVECS + i * IOVEC_SIZE;
            view.putLong(header + IOV, base + iovec);
            view.putLong(header + IOV_LENGTH, 1);
            view.putLong(iovec, base + DATA + (long) i * MAX_LENGTH);
        }
    }

    /** Whether every one of {@code lengths[from, from + count)} fits a slot. */
    static boolean fits(int[] lengths, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (lengths[k] <= 0 || lengths[k] > MAX_LENGTH) {
                return false;
            }
        }
        return true;
    }

    /** Message {@code i}: {@code datagram[0, length)} to the socket address {@code name}. */
    void set(int i, byte[] datagram, int length, Pointer name, int nameLength) {
        int header = i * MMSGHDR_SIZE;
        view.put(DATA + i * MAX_LENGTH, datagram, 0, length);
        view.putLong(IOVECS + i * IOVEC_SIZE + 8, length);
        view.putLong(header + NAME, Pointer.nativeValue(name));
        view.putInt(header + NAME_LENGTH, nameLength);
    }

    /** The vector's address, for sendmmsg. */
    Pointer pointer() {
        return memory;
    }
}
