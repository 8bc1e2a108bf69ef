package io.github.jmeterportscan.scan;

/**
 * The errno values a TCP {@code connect()} can end with, as far as a connect scan cares, with their
 * Linux numbers and glibc's (untranslated) messages. Java hides errno behind exception classes and
 * {@code strerror} text; {@link ConnectErrorClassifier} turns them back into these constants.
 */
public enum SocketErrno {
    /** No error: the handshake completed. */
    NONE(0, "Success"),
    EPERM(1, "Operation not permitted"),
    EINTR(4, "Interrupted system call"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENONET(64, "Machine is not on the network"),
    EPROTO(71, "Protocol error"),
    ENOPROTOOPT(92, "Protocol not available"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ENETRESET(102, "Network dropped connection on reset"),
    ECONNABORTED(103, "Software caused connection abort"),
    ECONNRESET(104, "Connection reset by peer"),
    ENOBUFS(105, "No buffer space available"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTDOWN(112, "Host is down"),
    EHOSTUNREACH(113, "No route to host"),
    EINPROGRESS(115, "Operation now in progress"),
    /** An error we could not identify (an unknown message, or not a socket error at all). */
    UNKNOWN(-1, "Unknown error");

    private final int linuxNumber;
    private final String message;

    SocketErrno(int linuxNumber, String message) {
        this.linuxNumber = linuxNumber;
        this.message = message;
    }

    /** The errno number on Linux (x86, ARM and the other "generic" ABIs), -1 for {@link #UNKNOWN}. */
    public int linuxNumber() {
        return linuxNumber;
    }

    /** glibc's English {@code strerror} text, which nmap prints in packet traces and errors. */
    public String message() {
        return message;
    }
}
