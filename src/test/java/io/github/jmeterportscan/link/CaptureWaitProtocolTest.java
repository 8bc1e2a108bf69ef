package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who hands replies over: the scan's own thread when it reads before sleeping, the capture's
 * thread when a scan sleeps; real SYNs to closed loopback ports, real RSTs through the lo capture.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaptureWaitProtocolTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * On lo the RST is in the ring when sendto returns, so reading right after the send finds it:
     * the handler runs on the sending thread and no other thread is woken. The capture's own
     * thread reads once a millisecond while nobody sleeps, so it may take a few first.
     */
    @Test
    void aScanThatReadsForItselfGetsItsReplyOnItsOwnThread() throws Exception {
        Privileges.requireRoot("raw sockets and packet capture");
        int closedPort = closedPort();
        int probes = 200;
        int srcPort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        Thread me = Thread.currentThread();
        AtomicInteger onMyThread = new AtomicInteger();
        AtomicInteger elsewhere = new AtomicInteger();
        try (PacketLink link = Links.open(LOOPBACK, Optional.empty());
                PacketLink.Subscription ignored = link.subscribe((frame, offset, length, nanos) -> {
                    TestPackets.Segment s = TestPackets.parse(frame, offset, length);
                    if (s != null && s.dstPort() == srcPort && (s.flags() & TestPackets.RST) != 0) {
                        (Thread.currentThread() == me ? onMyThread : elsewhere).incrementAndGet();
                    }
                })) {
            for (int i = 0; i < probes; i++) {
                TestPackets.sendSyn(link, LOOPBACK, srcPort, closedPort, i);
                link.captureReader().readPending();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (onMyThread.get() + elsewhere.get() < probes && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertEquals(probes, onMyThread.get() + elsewhere.get(), "replies never seen");
        assertTrue(onMyThread.get() >= probes * 9 / 10,
                "only " + onMyThread.get() + " of " + probes + " replies were read by the sending thread");
    }

    /** A scan that sleeps instead (its reply not there yet) is woken by the capture's thread. */
    @Test
    void aSleepingWaiterIsWokenByTheCaptureThread() throws Exception {
        Privileges.requireRoot("raw sockets and packet capture");
        int closedPort = closedPort();
        int srcPort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        Thread me = Thread.currentThread();
        AtomicReference<Thread> readBy = new AtomicReference<>();
        try (PacketLink link = Links.open(LOOPBACK, Optional.empty());
                PacketLink.Subscription ignored = link.subscribe((frame, offset, length, nanos) -> {
                    TestPackets.Segment s = TestPackets.parse(frame, offset, length);
                    if (s != null && s.dstPort() == srcPort && readBy.compareAndSet(null, Thread.currentThread())) {
                        ReaderWakeups.unpark(me);
                    }
                })) {
            CaptureWaitProtocol reader = link.captureReader();
            // Let the capture's thread settle into its nap: no scan has slept on it yet.
            Thread.sleep(20);
            reader.waiterArrived();
            try {
                TestPackets.sendSyn(link, LOOPBACK, srcPort, closedPort, 7);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (readBy.get() == null && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(500));
                }
            } finally {
                reader.waiterLeft();
            }
        }
        assertNotNull(readBy.get(), "the reply was never handed over");
        assertTrue(readBy.get().getName().startsWith("portscan-capture-"), "read by " + readBy.get().getName());
    }

    /** A wake asked for during a capture read happens when the read ends, not before. */
    @Test
    void wakesAskedForDuringAReadWaitForItsEnd() throws Exception {
        AtomicInteger wokenTimes = new AtomicInteger();
        Thread sleeper = new Thread(() -> {
            LockSupport.park();
            wokenTimes.incrementAndGet();
        });
        sleeper.start();
        while (sleeper.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        ReaderWakeups read = ReaderWakeups.current();
        read.beginRead();
        ReaderWakeups.unpark(sleeper);
        Thread.sleep(100);
        assertEquals(Thread.State.WAITING, sleeper.getState(), "woken while the read was still going on");
        read.endRead();
        sleeper.join(5_000);
        assertEquals(1, wokenTimes.get());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }
}
