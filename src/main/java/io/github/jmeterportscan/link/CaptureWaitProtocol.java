package io.github.jmeterportscan.link;

/**
 * The capture under a link, as a scan that waits for replies sees it. On loopback and veth links
 * the reply to a probe is in the capture's ring before the probe's send call returns, so the
 * scan's own thread can hand it over ({@link #readPending}) instead of sleeping until the
 * capture's thread wakes up for it and then wakes the scan: a one-port scan then needs no thread
 * switch at all. A scan that has to sleep after all says so first ({@link #waiterArrived}), so
 * that the capture's thread watches the socket for it.
 */
public interface CaptureWaitProtocol {
    /** For links without a shared capture. */
    CaptureWaitProtocol NONE = new CaptureWaitProtocol() {
        @Override
        public void readPending() {
        }

        @Override
        public void catchUp() {
        }

        @Override
        public void waiterArrived() {
        }

        @Override
        public void waiterLeft() {
        }
    };

    /**
     * Hands whatever the capture holds now to its handlers, on the calling thread; returns at once
     * when another thread is reading (that one hands the packets over) or nothing is there.
     */
    void readPending();

    /**
     * Hands every packet that reached the capture before this call to its handlers, waiting for
     * a thread that is reading now to finish its batch first. A scan calls this before it
     * decides that a probe went unanswered: a reader that stalls (descheduled, paused by the
     * garbage collector, or in a slow handler) then delays the verdict instead of turning a
     * captured reply into a false "no-response".
     *
     * @throws InterruptedException when the caller is interrupted while it waits for the reader
     */
    void catchUp() throws InterruptedException;

    /** The caller is about to sleep until a handler wakes it. Pair with {@link #waiterLeft}. */
    void waiterArrived();

    void waiterLeft();
}
