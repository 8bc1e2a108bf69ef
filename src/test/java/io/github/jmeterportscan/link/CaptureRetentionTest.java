package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A retention keeps the lo capture open between links; the last retention lets it go. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaptureRetentionTest {
    private InetAddress loopback;

    @BeforeEach
    void needsRoot() throws Exception {
        Privileges.requireRoot("raw sockets and packet capture");
        loopback = InetAddress.getByName("127.0.0.1");
        assertNull(Captures.current("lo"), "a capture on lo is left over from another test");
    }

    @Test
    void consecutiveLinksReuseOneHandleWhileRetained() throws Exception {
        long opened = Captures.handlesOpened();
        try (CaptureRetention retention = Links.retainCaptures()) {
            Capture first;
            try (PacketLink link = Links.open(loopback, Optional.empty())) {
                first = ((CapturedLink) LinkPool.underlying(link)).capture;
            }
            assertSame(first, Captures.current("lo"), "the retained capture must outlive its last link");
            for (int i = 0; i < 5; i++) {
                try (PacketLink link = Links.open(loopback, Optional.empty())) {
                    assertSame(first, ((CapturedLink) LinkPool.underlying(link)).capture);
                }
            }
            assertEquals(opened + 1, Captures.handlesOpened(), "one handle for every link of the retention");
        }
        assertNull(Captures.current("lo"), "ending the retention must close the idle capture");
    }

    /**
     * A JMeter test retains the captures and runs the same multi-host samples again and again:
     * their routes come from the cache, not from an ip process per sample.
     */
    @Test
    void retainedMultiHostOpensAskTheKernelOnce() throws Exception {
        List<InetAddress> hosts = List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
        try (CaptureRetention retention = Links.retainCaptures()) {
            long before = RouteBatch.processesStarted();
            for (int i = 0; i < 5; i++) {
                List<PacketLink> links = Links.openAll(hosts, Optional.empty());
                assertEquals(hosts.size(), links.size());
                links.forEach(PacketLink::close);
            }
            assertEquals(before + 1, RouteBatch.processesStarted(), "one batch lookup for five opens of two hosts");
        }
    }

    @Test
    void captureStaysUntilTheLastRetentionAndALiveLinkKeepsItAfterwards() throws Exception {
        CaptureRetention outer = Links.retainCaptures();
        CaptureRetention inner = Links.retainCaptures();
        try (PacketLink link = Links.open(loopback, Optional.empty())) {
            assertNotNull(Captures.current("lo"));
        }
        inner.close();
        inner.close(); // idempotent: must not end the outer retention
        assertNotNull(Captures.current("lo"), "one retention is still open");
        try (PacketLink link = Links.open(loopback, Optional.empty())) {
            outer.close();
            assertNotNull(Captures.current("lo"), "an open link still holds the capture");
        }
        assertNull(Captures.current("lo"));
    }

    @Test
    void scansShareOneRawSocketWhileRetainedAndItClosesAfterTheLastUser() throws Exception {
        RawSocketLink shared;
        PacketLink stillInUse;
        try (CaptureRetention retention = Links.retainCaptures()) {
            try (PacketLink a = Links.open(loopback, Optional.empty());
                    PacketLink b = Links.open(loopback, Optional.empty())) {
                shared = (RawSocketLink) LinkPool.underlying(a);
                assertSame(shared, LinkPool.underlying(b), "concurrent scans of one route share the socket");
            }
            stillInUse = Links.open(loopback, Optional.empty());
            assertSame(shared, LinkPool.underlying(stillInUse), "the socket outlives the scans that used it");
            assertTrue(shared.isUsable());
        }
        assertEquals(0, LinkPool.size(), "ending the retention empties the pool");
        assertTrue(shared.isUsable(), "a scan still uses the link");
        stillInUse.close();
        assertFalse(shared.isUsable(), "the last user closes the socket once the retention has ended");
        assertNull(Captures.current("lo"));
        try (PacketLink own = Links.open(loopback, Optional.empty())) {
            assertSame(own, LinkPool.underlying(own), "no pooling without a retention");
        }
    }

    @Test
    void withoutRetentionTheLastLinkClosesTheCapture() throws Exception {
        try (PacketLink link = Links.open(loopback, Optional.empty())) {
            assertNotNull(Captures.current("lo"));
        }
        assertNull(Captures.current("lo"));
    }
}
