package io.github.jmeterportscan.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * The project's one binding of libc: the few calls a raw IP socket, the capture's batch reader and
 * the connect engine's error texts need, bound with JNA direct mapping because direct calls skip
 * the reflective proxy of an interface mapping on the send path. Linux and an LP64 ABI are assumed ({@code size_t} and {@code ssize_t} as Java long);
 * {@link RawAccess} checks both before anyone gets here.
 */
public final class LibC {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int IPPROTO_RAW = 255;
    static final int IPPROTO_IPV6 = 41;
    /** Linux 4.5+; before that IPPROTO_RAW alone implied header inclusion for IPv6 too. */
    static final int IPV6_HDRINCL = 36;
    static final int SOL_SOCKET = 1;
    static final int SO_BINDTODEVICE = 25;
    static final int SO_SNDBUF = 7;
    static final int ENOPROTOOPT = 92;
    static final int ENOBUFS = 105;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final short POLLIN = 0x001;
    static final short POLLERR = 0x008;
    static final short POLLHUP = 0x010;
    static final short POLLNVAL = 0x020;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    /** setvbuf's _IONBF: every write goes straight through to the stream's target. */
    static final int IONBF = 2;

    private static final Throwable LOAD_FAILURE = load();

    private LibC() {
    }

    private static Throwable load() {
        try {
            if (!Platform.isLinux()) {
                return new UnsupportedOperationException("raw IP sockets are only implemented for Linux");
            }
            Native.register(LibC.class, Platform.C_LIBRARY_NAME);
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: JNA could not start
            return t;
        }
    }

    /**
     * libc's own text for {@code errno}, in the C library's locale (a translated text under a
     * non-English locale), or empty when libc is not bound here.
     */
    public static Optional<String> errorText(int errno) {
        if (LOAD_FAILURE != null) {
            return Optional.empty();
        }
        String text = strerror(errno);
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** Why libc could not be bound, or null when the native methods below are usable. */
    static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length)
            throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, Pointer value, int length)
            throws LastErrorException;

    static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer address, int addressLength)
            throws LastErrorException;

    /** {@code messages} is an array of struct mmsghdr (see {@link MessageVector}); returns how many were sent. */
    static native int sendmmsg(int fd, Pointer messages, int count, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** {@code fds} is an array of struct pollfd (int fd, short events, short revents: 8 bytes each). */
    static native int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    static native int eventfd(int initialValue, int flags) throws LastErrorException;

    static native long read(int fd, Pointer buffer, long length) throws LastErrorException;

    static native long write(int fd, Pointer buffer, long length) throws LastErrorException;

    /** A stdio stream over {@code buffer} (the capture's batch reader has libpcap write into it). */
    static native Pointer fmemopen(Pointer buffer, long size, String mode) throws LastErrorException;

    static native int fseek(Pointer stream, long offset, int whence);

    static native int setvbuf(Pointer stream, Pointer buffer, int mode, long size);

    static native int fclose(Pointer stream);

    static native String strerror(int errno);
}
