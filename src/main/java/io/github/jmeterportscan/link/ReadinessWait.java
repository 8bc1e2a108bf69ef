package io.github.jmeterportscan.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Waits until a capture socket has packets, or until another thread asks the waiter to look
 * again (an eventfd next to the socket in one poll), without holding the capture: the thread that
 * waits here is not the only one that reads, so the wait must not keep the others out.
 * {@link #await} is called by one thread; {@link #wake} by any.
 */
final class ReadinessWait implements AutoCloseable {
    /** What {@link #await} saw; the bits combine. */
    static final int TIMEOUT = 0;
    static final int READABLE = 1;
    static final int WOKEN = 2;
    /** The socket reported an error or hang-up (interface down or gone): reading will say which. */
    static final int SOCKET_ERROR = 4;

    private static final int POLLFD_SIZE = 8;
    private final int socketFd;
    private final int eventFd;
    /** struct pollfd[2]: the capture socket, then the eventfd. */
    private final Memory pollFds = new Memory(2 * POLLFD_SIZE);
    /** Where {@link #await} reads the eventfd's count (the awaiting thread's own). */
    private final Memory drained = new Memory(8);
    /** What {@link #wake} adds to the count, always 1; also its lock. */
    private final Memory one = new Memory(8);
    private boolean closed;

    private ReadinessWait(int socketFd, int eventFd) {
        this.socketFd = socketFd;
        this.eventFd = eventFd;
        one.setLong(0, 1);
    }

    static ReadinessWait on(int socketFd) throws LinkException {
        Throwable failure = LibC.loadFailure();
        if (failure != null) {
            throw new LinkException("cannot wait for captured packets: " + failure, failure);
        }
        try {
            return new ReadinessWait(socketFd, LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC));
        } catch (LastErrorException e) {
            throw new LinkException("cannot create an eventfd for the capture: " + LibC.strerror(e.getErrorCode()), e);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for packets or a {@link #wake}; a wake is consumed here.
     *
     * @return a combination of {@link #READABLE}, {@link #WOKEN} and {@link #SOCKET_ERROR}, or
     *         {@link #TIMEOUT}
     */
    int await(int timeoutMillis) {
        pollFds.setInt(0, socketFd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(POLLFD_SIZE, eventFd);
        pollFds.setShort(POLLFD_SIZE + 4, LibC.POLLIN);
        pollFds.setShort(POLLFD_SIZE + 6, (short) 0);
        try {
            if (LibC.poll(pollFds, 2, timeoutMillis) == 0) {
                return TIMEOUT;
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) {
                return WOKEN;
            }
            throw new IllegalStateException("poll on the capture failed: " + LibC.strerror(e.getErrorCode()), e);
        }
        short socket = pollFds.getShort(6);
        int seen = TIMEOUT;
        if ((socket & LibC.POLLIN) != 0) {
            seen |= READABLE;
        }
        if ((socket & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
            seen |= SOCKET_ERROR;
        }
        if ((pollFds.getShort(POLLFD_SIZE + 6) & LibC.POLLIN) != 0) {
            seen |= WOKEN;
            try {
                LibC.read(eventFd, drained, 8);
            } catch (LastErrorException e) {
                // EAGAIN: another await consumed it; nothing else can go wrong with an eventfd read.
            }
        }
        return seen;
    }

    /** Makes the current or next {@link #await} return at once. */
    void wake() {
        synchronized (one) {
            if (closed) {
                return;
            }
            try {
                LibC.write(eventFd, one, 8);
            } catch (LastErrorException e) {
                // EAGAIN: the counter is saturated, so a wake is pending anyway.
            }
        }
    }

    @Override
    public void close() {
        synchronized (one) {
            if (!closed) {
                closed = true;
                try {
                    LibC.close(eventFd);
                } catch (LastErrorException e) {
                    // Gone either way.
                }
            }
        }
    }
}
