package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real SYNs through a raw IP socket to loopback listeners, replies seen through the lo capture. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopbackLinkTest {
    private static final long REPLY_TIMEOUT_MILLIS = 3_000;

    @BeforeEach
    void needsRoot() {
        Privileges.requireRoot("raw sockets and packet capture");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void routeToLoopbackIsLocalThroughLo(String literal) throws Exception {
        InetAddress destination = InetAddress.getByName(literal);
        Route route = Routes.lookup(destination, Optional.empty());
        assertEquals("lo", route.netInterface().name());
        assertEquals(NetInterface.Kind.LOOPBACK, route.netInterface().kind());
        assertEquals(destination, route.source());
        assertTrue(route.local());
        assertTrue(route.directlyConnected());
        assertEquals(destination, route.nextHop());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void synToListeningPortIsAnsweredWithSynAckAndClosedPortWithRst(String literal) throws Exception {
        InetAddress destination = InetAddress.getByName(literal);
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, destination)) {
            closedPort = probe.getLocalPort();
        }
        try (ServerSocket listener = new ServerSocket(0, 50, destination);
                PacketLink link = Links.open(destination, Optional.empty())) {
            assertInstanceOf(RawSocketLink.class, link);
            assertEquals("lo", link.interfaceName());
            assertEquals(destination, link.sourceAddress());
            TestPackets.Collector collector = new TestPackets.Collector();
            try (PacketLink.Subscription ignored = link.subscribe(collector)) {
                int openPort = listener.getLocalPort();
                int srcPort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
                int seq = ThreadLocalRandom.current().nextInt();

                TestPackets.sendSyn(link, destination, srcPort, openPort, seq);
                TestPackets.Segment synAck = collector.awaitReply(openPort, srcPort, TestPackets.SYN | TestPackets.ACK,
                        REPLY_TIMEOUT_MILLIS);
                assertNotNull(synAck, "no SYN-ACK from listening port " + openPort);
                assertEquals((seq + 1L) & 0xffffffffL, synAck.ack());

                TestPackets.sendSyn(link, destination, srcPort + 1, closedPort, seq);
                TestPackets.Segment rst = collector.awaitReply(closedPort, srcPort + 1, TestPackets.RST,
                        REPLY_TIMEOUT_MILLIS);
                assertNotNull(rst, "no RST from closed port " + closedPort);
                assertEquals((seq + 1L) & 0xffffffffL, rst.ack());
            }
            assertTrue(link.captureStats().received() > 0);
        }
    }

    /**
     * The capture reads the ring in batches of pcap records (several thousand frames per read at
     * most): a burst of replies far larger than one batch arrives complete, each frame intact
     * (its ports and acknowledgement number are those of its own probe).
     */
    @Test
    void aBurstLargerThanOneBatchArrivesWholeAndIntact() throws Exception {
        InetAddress destination = InetAddress.getByName("127.0.0.1");
        int probes = 20_000;
        int srcPort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        int firstPort = 20_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(probes);
        AtomicInteger wrong = new AtomicInteger();
        try (PacketLink link = Links.open(destination, Optional.empty());
                PacketLink.Subscription ignored = link.subscribe((frame, offset, length, nanos) -> {
                    TestPackets.Segment s = TestPackets.parse(frame, offset, length);
                    if (s == null || s.dstPort() != srcPort) {
                        return;
                    }
                    int i = s.srcPort() - firstPort;
                    // Each probe's sequence number is its port; the reply acknowledges it + 1.
                    if (i < 0 || i >= probes || s.ack() != s.srcPort() + 1L) {
                        wrong.incrementAndGet();
                    } else {
                        seen.incrementAndGet(i);
                    }
                })) {
            for (int i = 0; i < probes; i++) {
                TestPackets.sendSyn(link, destination, srcPort, firstPort + i, firstPort + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int missing = probes;
            while (missing > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                missing = 0;
                for (int i = 0; i < probes; i++) {
                    missing += seen.get(i) == 0 ? 1 : 0;
                }
            }
            assertEquals(0, wrong.get(), "replies with a foreign port or acknowledgement number");
            // A port someone else listens on answers SYN-ACK: that is a reply too. None may be lost.
            assertEquals(0, missing, "replies never seen out of " + probes);
            assertEquals(0, link.captureStats().dropped(), "the kernel dropped captured packets");
        }
    }

    /**
     * sendAll hands a batch to the kernel 64 datagrams per system call: every probe of a batch
     * longer than one call is answered, and a datagram the kernel refuses in the middle of a call
     * fails alone, with the kernel's reason, while the ones after it still go out.
     */
    @Test
    void aBatchGoesOutWholeAndARefusedDatagramFailsAlone() throws Exception {
        InetAddress destination = InetAddress.getByName("127.0.0.1");
        int probes = 150;
        int refused = 70;
        int srcPort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        int firstPort = 30_000;
        byte[][] datagrams = new byte[probes][];
        int[] lengths = new int[probes];
        IOException[] failures = new IOException[probes];
        for (int i = 0; i < probes; i++) {
            datagrams[i] = TestPackets.syn(destination, destination, srcPort, firstPort + i, firstPort + i);
            lengths[i] = datagrams[i].length;
        }
        // An IPv4 header length (60 bytes) longer than the whole datagram: the kernel says EINVAL.
        datagrams[refused][0] = 0x4f;
        AtomicIntegerArray seen = new AtomicIntegerArray(probes);
        try (PacketLink link = Links.open(destination, Optional.empty());
                PacketLink.Subscription ignored = link.subscribe((frame, offset, length, nanos) -> {
                    TestPackets.Segment s = TestPackets.parse(frame, offset, length);
                    if (s != null && s.dstPort() == srcPort && s.srcPort() >= firstPort
                            && s.srcPort() < firstPort + probes && s.ack() == s.srcPort() + 1L) {
                        seen.incrementAndGet(s.srcPort() - firstPort);
                    }
                })) {
            link.sendAll(datagrams, lengths, failures, 0, probes);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_TIMEOUT_MILLIS);
            while (answered(seen) < probes - 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        for (int i = 0; i < probes; i++) {
            if (i == refused) {
                assertNotNull(failures[i], "the malformed datagram must fail");
                assertTrue(failures[i].getMessage().contains("Invalid argument"), failures[i].getMessage());
                assertEquals(0, seen.get(i));
            } else {
                assertNull(failures[i], "datagram " + i);
                assertEquals(1, seen.get(i), "replies to probe " + i);
            }
        }
    }

    private static int answered(AtomicIntegerArray seen) {
        int n = 0;
        for (int i = 0; i < seen.length(); i++) {
            n += seen.get(i) > 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void concurrentLinksShareOneCaptureAndCloseReleasesIt() throws Exception {
        assertNull(Captures.current("lo"), "a capture on lo is left over from another test");
        long opened = Captures.handlesOpened();
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<PacketLink> links = new ArrayList<>();
        try {
            List<Future<PacketLink>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                InetAddress destination = i % 2 == 0 ? v4 : v6;
                futures.add(pool.submit(() -> Links.open(destination, Optional.empty())));
            }
            for (Future<PacketLink> f : futures) {
                links.add(f.get(20, TimeUnit.SECONDS));
            }
            assertEquals(opened + 1, Captures.handlesOpened(), "links on lo must share one handle");
            Capture shared = Captures.current("lo");
            assertNotNull(shared);
            for (PacketLink link : links) {
                assertSame(shared, ((CapturedLink) link).capture);
            }

            // Each link sees the replies to its own source address only, IPv4 and IPv6 at once.
            try (ServerSocket listen4 = new ServerSocket(0, 50, v4); ServerSocket listen6 = new ServerSocket(0, 50, v6)) {
                List<TestPackets.Collector> collectors = new ArrayList<>();
                List<PacketLink.Subscription> subscriptions = new ArrayList<>();
                for (PacketLink link : links) {
                    TestPackets.Collector c = new TestPackets.Collector();
                    collectors.add(c);
                    subscriptions.add(link.subscribe(c));
                }
                int base = ThreadLocalRandom.current().nextInt(40_000, 50_000);
                for (int i = 0; i < links.size(); i++) {
                    PacketLink link = links.get(i);
                    int port = (link.sourceAddress().equals(v4) ? listen4 : listen6).getLocalPort();
                    TestPackets.sendSyn(link, link.sourceAddress(), base + i, port, i);
                }
                for (int i = 0; i < links.size(); i++) {
                    int srcPort = base + i;
                    InetAddress own = links.get(i).sourceAddress();
                    assertNotNull(collectors.get(i).await(s -> s.dstPort() == srcPort
                            && s.has(TestPackets.SYN | TestPackets.ACK), REPLY_TIMEOUT_MILLIS), "link " + i);
                    InetAddress other = own.equals(v4) ? v6 : v4;
                    assertNull(collectors.get(i).await(s -> s.dst().equals(other), 0));
                }
                subscriptions.forEach(PacketLink.Subscription::close);
            }
        } finally {
            pool.shutdownNow();
            List<Future<?>> closes = new ArrayList<>();
            ExecutorService closer = Executors.newFixedThreadPool(4);
            for (PacketLink link : links) {
                closes.add(closer.submit(link::close));
            }
            for (Future<?> f : closes) {
                f.get(10, TimeUnit.SECONDS); // close never hangs
            }
            closer.shutdownNow();
        }
        assertNull(Captures.current("lo"), "the last close must release the capture");
        assertTrue(captureThreadEnds("lo"), "the receive thread must end with the capture");
    }

    @Test
    void sendAfterCloseFailsAndCloseIsIdempotent() throws Exception {
        InetAddress destination = InetAddress.getByName("127.0.0.1");
        PacketLink link = Links.open(destination, Optional.empty());
        link.close();
        link.close();
        byte[] syn = TestPackets.syn(destination, destination, 40_000, 9, 1);
        assertThrows(IOException.class, () -> link.send(syn, 0, syn.length));
        assertThrows(IOException.class, () -> link.subscribe((f, o, l, n) -> { }));
    }

    @Test
    void nonexistentInterfaceIsAClearLinkException() {
        LinkException e = assertThrows(LinkException.class,
                () -> Links.open(InetAddress.getByName("127.0.0.1"), Optional.of("ps-link-nope")));
        assertTrue(e.getMessage().contains("ps-link-nope"), e.getMessage());
        assertTrue(e.getMessage().contains("does it even exist"), e.getMessage());
    }

    @Test
    void rawAccessIsAvailableToRoot() {
        assertEquals(Optional.empty(), RawAccess.problem());
    }

    /** The capture closes in the background (see Capture.stop): waits a bounded time for its thread. */
    static boolean captureThreadEnds(String interfaceName) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (captureThreadAlive(interfaceName)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    static boolean captureThreadAlive(String interfaceName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("portscan-capture-" + interfaceName) && t.isAlive());
    }
}
