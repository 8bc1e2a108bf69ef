package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Ethernet frames over a veth pair into a network namespace: the link must resolve the next
 * hop's MAC itself (the kernel's neighbour cache is flushed first) and see the SYN-ACK.
 *
 * <p>The lab: this host 198.18.10.1 / 2001:db8:10::1, the namespace 198.18.10.2 / 2001:db8:10::2
 * and, behind it as a gateway, 198.18.10.70 / 2001:db8:10::100:70; a second pair 'g'
 * (198.18.10.17/28 here, .18 there) for the test that takes an interface down and deletes it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EthernetLabTest {
    private static final String PREFIX = "ps-link-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final int OPEN_PORT = 8080;
    private static final int CLOSED_PORT = 8081;
    private static final long REPLY_TIMEOUT_MILLIS = 3_000;
    private static NetnsLab lab;

    @BeforeAll
    static void createLab() {
        Privileges.requireRoot("network namespaces, raw sockets and packet capture");
        NetnsLab.cleanupLeftovers(PREFIX);
        lab = NetnsLab.builder().prefix(PREFIX).subnets("198.18.10.0/24", "2001:db8:10::/64")
                // the link resolves MAC addresses itself: no permanent entries, so a flush empties the cache
                .permanentNeighbours(false)
                .plan(LabPortPlan.builder().open(OPEN_PORT).build())
                // Targets behind the namespace acting as a gateway, still inside our lab ranges.
                .routeViaNamespace("198.18.10.64/26", "198.18.10.70")
                .routeViaNamespace("2001:db8:10::100:0/112", "2001:db8:10::100:70")
                .extraPair('g', List.of("198.18.10.17/28"), List.of("198.18.10.18/28"))
                .start();
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Commands.run(COMMAND_TIMEOUT, command);
    }

    @ParameterizedTest
    @CsvSource({"198.18.10.2, 198.18.10.1", "2001:db8:10::2, 2001:db8:10::1"})
    void routeToLabHostIsOnLinkThroughTheVeth(String target, String expectedSource) throws Exception {
        InetAddress destination = InetAddress.getByName(target);
        for (Optional<String> forced : List.of(Optional.<String>empty(), Optional.of(lab.hostInterface()))) {
            Route route = Routes.lookup(destination, forced);
            assertEquals(lab.hostInterface(), route.netInterface().name());
            assertEquals(NetInterface.Kind.ETHERNET, route.netInterface().kind());
            assertEquals(InetAddress.getByName(expectedSource), route.source());
            assertTrue(route.directlyConnected());
            assertFalse(route.local());
            assertEquals(destination, route.nextHop());
        }
    }

    @ParameterizedTest
    @CsvSource({"198.18.10.70, 198.18.10.1, 198.18.10.2", "2001:db8:10::100:70, 2001:db8:10::1, 2001:db8:10::2"})
    void routeThroughALabGatewayNamesTheGatewayAsNextHop(String target, String expectedSource, String gateway)
            throws Exception {
        Route route = Routes.lookup(InetAddress.getByName(target), Optional.empty());
        assertEquals(lab.hostInterface(), route.netInterface().name());
        assertEquals(InetAddress.getByName(expectedSource), route.source());
        assertEquals(Optional.of(InetAddress.getByName(gateway)), route.gateway());
        assertEquals(InetAddress.getByName(gateway), route.nextHop());
        assertFalse(route.directlyConnected());
    }

    @ParameterizedTest
    @CsvSource({"198.18.10.2", "2001:db8:10::2", "198.18.10.70", "2001:db8:10::100:70"})
    void synOverEthernetResolvesTheMacAndGetsSynAckAndRst(String target) throws Exception {
        InetAddress destination = InetAddress.getByName(target);
        String dev = lab.hostInterface();
        ip("neigh", "flush", "dev", dev);
        ip("-6", "neigh", "flush", "dev", dev);
        Route route = Routes.lookup(destination, Optional.empty());
        assertEquals(Optional.empty(), NeighbourTable.lookup(route.nextHop(), dev), "neighbour cache not flushed");

        try (PacketLink link = Links.open(destination, Optional.empty())) {
            PcapLink pcapLink = assertInstanceOf(PcapLink.class, link);
            String namespaceMac = lab.execInNamespace("cat", "/sys/class/net/" + lab.namespaceInterface() + "/address")
                    .stdout().trim();
            assertEquals(MacAddress.parse(namespaceMac), pcapLink.nextHopMac());
            TestPackets.Collector collector = new TestPackets.Collector();
            try (PacketLink.Subscription ignored = link.subscribe(collector)) {
                int srcPort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
                int seq = ThreadLocalRandom.current().nextInt();
                TestPackets.sendSyn(link, destination, srcPort, OPEN_PORT, seq);
                TestPackets.Segment synAck = collector.awaitReply(OPEN_PORT, srcPort, TestPackets.SYN | TestPackets.ACK,
                        REPLY_TIMEOUT_MILLIS);
                assertNotNull(synAck, "no SYN-ACK from " + target);
                assertEquals((seq + 1L) & 0xffffffffL, synAck.ack());
                assertEquals(destination, synAck.src());

                TestPackets.sendSyn(link, destination, srcPort, CLOSED_PORT, seq);
                assertNotNull(collector.awaitReply(CLOSED_PORT, srcPort, TestPackets.RST, REPLY_TIMEOUT_MILLIS),
                        "no RST from closed port on " + target);
            }
        }
    }

    @Test
    void unansweredNeighbourResolutionIsAClearLinkException() {
        long start = System.nanoTime();
        // 198.18.10.3 is on the lab link but nobody owns it: ARP goes unanswered.
        LinkException e = assertThrows(LinkException.class,
                () -> Links.open(InetAddress.getByName("198.18.10.3"), Optional.empty()));
        assertTrue(e.getMessage().startsWith("Failed to determine dst MAC address for target 198.18.10.3"),
                e.getMessage());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 5_000, "resolution must be bounded, took " + millis + " ms");
    }

    @Test
    void interfaceDownOrGoneGivesClearErrorsNotHangs() throws Exception {
        String dev = lab.hostInterface('g');
        InetAddress destination = InetAddress.getByName("198.18.10.18");

        ip("link", "set", dev, "down");
        LinkException down = assertThrows(LinkException.class, () -> Routes.lookup(destination, Optional.of(dev)));
        assertTrue(down.getMessage().contains(dev) && down.getMessage().contains("down"), down.getMessage());
        ip("link", "set", dev, "up");
        // The kernel reports the link up (and its addresses usable) a moment after the command.
        awaitUp(dev, destination);

        PacketLink link = Links.open(destination, Optional.of(dev));
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            link.subscribe((frame, offset, length, nanos) -> { });
            ip("link", "del", dev);
            byte[] syn = TestPackets.syn(link.sourceAddress(), destination, 40_000, OPEN_PORT, 1);
            IOException failure = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    link.send(syn, 0, syn.length);
                    Thread.sleep(10);
                } catch (IOException e) {
                    failure = e;
                }
            }
            assertNotNull(failure, "send kept succeeding on a deleted interface");
            assertTrue(failure.getMessage().contains(dev), failure.getMessage());
        } finally {
            Future<?> closing = closer.submit(link::close);
            closing.get(10, TimeUnit.SECONDS); // close never hangs, even on a dead interface
            closer.shutdownNow();
        }
        assertTrue(LoopbackLinkTest.captureThreadEnds(dev));
    }

    /** Waits (bounded) until a route lookup through {@code dev} works again after it was set up. */
    private static void awaitUp(String dev, InetAddress destination) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                Routes.lookup(destination, Optional.of(dev));
                return;
            } catch (LinkException stillDown) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("interface " + dev + " did not come back up: " + stillDown.getMessage());
                }
                Thread.sleep(20);
            }
        }
    }
}
