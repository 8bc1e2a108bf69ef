package io.github.jmeterportscan.link;

import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures (does not assert) the send rate through the raw socket to closed loopback ports.
 * Runs only on request: {@code ./mvnw -q test -Dtest=LoopbackSendRateTest -Dlink.sendRate=true}.
 */
class LoopbackSendRateTest {
    private static final int PACKETS = 200_000;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void measureSendRate() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("link.sendRate"), "benchmark: run with -Dlink.sendRate=true");
        Privileges.requireRoot("raw sockets");
        for (String literal : new String[] {"127.0.0.1", "::1"}) {
            InetAddress destination = InetAddress.getByName(literal);
            try (PacketLink link = Links.open(destination, Optional.empty())) {
                AtomicLong resets = new AtomicLong();
                try (PacketLink.Subscription ignored = link.subscribe((f, off, len) -> {
                    TestPackets.Segment s = TestPackets.parse(f, off, len);
                    if (s != null && s.has(TestPackets.RST) && s.dstPort() == 40_000) {
                        resets.incrementAndGet();
                    }
                })) {
                    boolean v4 = literal.contains(".");
                    int tcp = v4 ? 20 : 40;
                    byte[] syn = TestPackets.syn(destination, destination, 40_000, 1, 0);
                    CaptureStats before = link.captureStats();
                    long start = System.nanoTime();
                    for (int i = 0; i < PACKETS; i++) {
                        int port = 1 + (i % 1000) + 30_000; // ports 30001-31000: nothing listens there here
                        syn[tcp + 2] = (byte) (port >>> 8);
                        syn[tcp + 3] = (byte) port;
                        syn[tcp + 7] = (byte) i;
                        TestPackets.setTcpChecksum(syn, tcp, v4);
                        link.send(syn, 0, syn.length);
                    }
                    long nanos = System.nanoTime() - start;
                    Thread.sleep(500);
                    CaptureStats after = link.captureStats();
                    System.out.printf("%s: %d SYNs in %.1f ms = %.0f pps; RSTs seen %d; capture dropped %d%n",
                            literal, PACKETS, nanos / 1e6, PACKETS * 1e9 / nanos, resets.get(),
                            after.dropped() - before.dropped());
                }
            }
        }
    }
}
