package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
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
                first = ((CapturedLink) link).capture;
            }
            assertSame(first, Captures.current("lo"), "the retained capture must outlive its last link");
            for (int i = 0; i < 5; i++) {
                try (PacketLink link = Links.open(loopback, Optional.empty())) {
                    assertSame(first, ((CapturedLink) link).capture);
                }
            }
            assertEquals(opened + 1, Captures.handlesOpened(), "one handle for every link of the retention");
        }
        assertNull(Captures.current("lo"), "ending the retention must close the idle capture");
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
    void withoutRetentionTheLastLinkClosesTheCapture() throws Exception {
        try (PacketLink link = Links.open(loopback, Optional.empty())) {
            assertNotNull(Captures.current("lo"));
        }
        assertNull(Captures.current("lo"));
    }
}
