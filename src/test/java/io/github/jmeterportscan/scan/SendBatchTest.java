package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.CaptureStats;
import io.github.jmeterportscan.link.PacketHandler;
import io.github.jmeterportscan.link.PacketLink;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The batch sender with its helper threads. The link records what reaches it (this is about who
 * sends what, not about the wire; the scan tests cover real packets).
 */
class SendBatchTest {
    private static final int ROUNDS = 500;

    @Test
    void everyEntryIsSentExactlyOnceAcrossThreads() throws Exception {
        SendHelpers helpers = new SendHelpers(2);
        SendBatch batch = new SendBatch(helpers);
        // Sends as slow as a real one (microseconds), so that helpers wake while a batch is under way.
        RecordingLink link = new RecordingLink(-1, 10_000);
        int rounds = ROUNDS;
        for (int round = 0; round < rounds; round++) {
            int size = 1 + round % SendBatch.CAPACITY;
            for (int k = 0; k < size; k++) {
                batch.add(link, datagram(round, k), 4, 0, k);
            }
            batch.send();
            for (int k = 0; k < size; k++) {
                assertNull(batch.failure(k));
                assertEquals(1, link.sent.get(key(round, k)), "round " + round + " entry " + k);
            }
            batch.clear();
        }
        assertTrue(link.threads.size() > 1, "no helper ever took part: " + link.threads);
    }

    @Test
    void theDatagramIsCopiedWhenQueued() throws Exception {
        SendBatch batch = new SendBatch(new SendHelpers(0));
        RecordingLink link = new RecordingLink(-1, 0);
        byte[] shared = datagram(0, 1);
        batch.add(link, shared, 4, 0, 1);
        shared[3] = 99; // the scan loop refills its template for the next probe at once
        batch.send();
        assertArrayEquals(datagram(0, 1), link.last);
    }

    @Test
    void failuresAreKeptPerEntryWhoeverSentThem() throws Exception {
        SendBatch batch = new SendBatch(new SendHelpers(1));
        RecordingLink link = new RecordingLink(7, 0);
        for (int k = 0; k < SendBatch.CAPACITY; k++) {
            batch.add(link, datagram(0, k), 4, 3, 1000 + k);
        }
        assertTrue(batch.isFull());
        batch.send();
        for (int k = 0; k < SendBatch.CAPACITY; k++) {
            if (k == 7) {
                assertNotNull(batch.failure(k));
                assertEquals(1007, batch.port(k));
                assertEquals(3, batch.hostIndex(k));
            } else {
                assertNull(batch.failure(k));
            }
        }
        batch.clear();
        assertTrue(batch.isEmpty());
    }

    @Test
    void aBusyHelperIsNotWaitedFor() throws Exception {
        SendHelpers helpers = new SendHelpers(1);
        SendHelpers.Helper taken = helpers.tryClaim();
        assertNotNull(taken);
        assertNull(helpers.tryClaim(), "a claimed helper must not be handed out twice");
        SendBatch batch = new SendBatch(helpers);
        RecordingLink link = new RecordingLink(-1, 0);
        for (int k = 0; k < SendBatch.CAPACITY; k++) {
            batch.add(link, datagram(1, k), 4, 0, k);
        }
        batch.send();
        assertEquals(Set.of(Thread.currentThread().getName()), link.threads);
        assertEquals(SendBatch.CAPACITY, link.count.get(0));
    }

    @Test
    void smallBatchesStayOnTheCallersThread() throws Exception {
        SendBatch batch = new SendBatch(new SendHelpers(1));
        RecordingLink link = new RecordingLink(-1, 0);
        for (int k = 0; k < SendBatch.MIN_SHARE - 1; k++) {
            batch.add(link, datagram(2, k), 4, 0, k);
        }
        batch.send();
        assertEquals(Set.of(Thread.currentThread().getName()), link.threads);
        assertFalse(batch.isEmpty());
    }

    /**
     * Many scans (JMeter threads) share the helpers: claims and releases race, yet every entry is
     * sent once and the helper is still at work afterwards.
     */
    @Test
    void concurrentScansShareTheHelpersSafely() throws Exception {
        SendHelpers helpers = new SendHelpers(1);
        int owners = 4;
        RecordingLink link = new RecordingLink(-1, 2_000);
        ExecutorService pool = Executors.newFixedThreadPool(owners);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int o = 0; o < owners; o++) {
                int owner = o;
                done.add(pool.submit(() -> {
                    SendBatch batch = new SendBatch(helpers);
                    for (int round = owner; round < ROUNDS; round += owners) {
                        for (int k = 0; k < 16 + round % 32; k++) {
                            batch.add(link, datagram(round, k), 4, 0, k);
                        }
                        batch.send();
                        batch.clear();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < 16 + round % 32; k++) {
                assertEquals(1, link.sent.get(key(round, k)), "round " + round + " entry " + k);
            }
        }
        // The helper survived the races: it still takes entries of a batch.
        RecordingLink later = new RecordingLink(-1, 10_000);
        SendBatch batch = new SendBatch(helpers);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!later.threads.contains("portscan-send-1") && System.nanoTime() < deadline) {
            for (int k = 0; k < 64; k++) {
                batch.add(later, datagram(0, k), 4, 0, k);
            }
            batch.send();
            batch.clear();
        }
        assertTrue(later.threads.contains("portscan-send-1"), later.threads.toString());
    }

    /** Helpers send while the loop is still choosing probes: the batch is a stream, not a stop-and-go. */
    @Test
    void helpersSendWhileTheOwnerIsStillAdding() throws Exception {
        SendBatch batch = new SendBatch(new SendHelpers(1));
        RecordingLink link = new RecordingLink(-1, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int k = 0;
        // The owner adds an entry every 50 us, as a scan loop adds probes; a helper takes them meanwhile.
        while (link.count.get(0) == 0 && System.nanoTime() < deadline && k < SendBatch.CAPACITY) {
            batch.add(link, datagram(3, k), 4, 0, k);
            k++;
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(50);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        int sentBeforeSend = link.count.get(0);
        batch.send();
        assertTrue(sentBeforeSend > 0, "no entry left before send() among " + k);
        assertEquals(k, link.count.get(0));
        assertTrue(link.threads.contains("portscan-send-1"), link.threads.toString());
    }

    private static byte[] datagram(int round, int k) {
        return new byte[] {(byte) (round >> 8), (byte) round, (byte) k, 0};
    }

    private static int key(int round, int k) {
        return round * SendBatch.CAPACITY + k;
    }

    /** Counts each datagram it is given; fails the one whose third byte is {@code failing}. */
    private static final class RecordingLink implements PacketLink {
        final AtomicIntegerArray sent = new AtomicIntegerArray(ROUNDS * SendBatch.CAPACITY);
        final AtomicIntegerArray count = new AtomicIntegerArray(1);
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final int failing;
        final long sendNanos;
        volatile byte[] last;

        RecordingLink(int failing, long sendNanos) {
            this.failing = failing;
            this.sendNanos = sendNanos;
        }

        @Override
        public void send(byte[] datagram, int offset, int length) throws IOException {
            long until = System.nanoTime() + sendNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            threads.add(Thread.currentThread().getName());
            count.incrementAndGet(0);
            last = java.util.Arrays.copyOfRange(datagram, offset, offset + length);
            if ((datagram[2] & 0xff) == failing) {
                throw new IOException("refused");
            }
            int round = ((datagram[0] & 0xff) << 8) | (datagram[1] & 0xff);
            sent.incrementAndGet(key(round, datagram[2] & 0xff));
        }

        @Override
        public InetAddress sourceAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public String interfaceName() {
            return "test";
        }

        @Override
        public Subscription subscribe(PacketHandler handler) {
            return () -> { };
        }

        @Override
        public Subscription subscribe(PacketHandler handler, int firstPort, int count) {
            return () -> { };
        }

        @Override
        public CaptureStats captureStats() {
            return CaptureStats.NONE;
        }

        @Override
        public void close() {
        }
    }
}
