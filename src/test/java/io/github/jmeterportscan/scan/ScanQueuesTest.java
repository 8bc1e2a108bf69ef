package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scan loop's ring queues keep FIFO order through wrap-arounds and growth. */
class ScanQueuesTest {
    @Test
    void intQueueIsFifoAcrossWrapsAndGrowth() {
        ProbeQueues.IntQueue queue = new ProbeQueues.IntQueue();
        ArrayDeque<Integer> expected = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 200_000; step++) {
            // Mostly adds early on (growth), then a balance that keeps the ring wrapping.
            boolean add = expected.isEmpty() || random.nextInt(100) < (step < 100_000 ? 60 : 50);
            if (add) {
                queue.add(step);
                expected.addLast(step);
            } else {
                assertEquals(expected.removeFirst(), queue.poll());
            }
            assertEquals(expected.size(), queue.size());
        }
        while (!expected.isEmpty()) {
            assertEquals(expected.removeFirst(), queue.poll());
        }
        assertEquals(true, queue.isEmpty());
    }

    @Test
    void inFlightKeepsEachProbesFieldsTogetherInSendOrder() {
        ProbeQueues.InFlight inFlight = new ProbeQueues.InFlight();
        ArrayDeque<long[]> expected = new ArrayDeque<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int step = 0; step < 200_000; step++) {
            if (expected.isEmpty() || random.nextInt(100) < (step < 100_000 ? 65 : 50)) {
                int index = random.nextInt(65_536);
                int tryNo = random.nextInt(10);
                long nanos = random.nextLong();
                inFlight.add(index, tryNo, nanos);
                expected.addLast(new long[] {index, tryNo, nanos});
            } else {
                long[] head = expected.removeFirst();
                assertEquals(head[0], inFlight.headIndex());
                assertEquals(head[1], inFlight.headTry());
                assertEquals(head[2], inFlight.headSentNanos());
                inFlight.removeHead();
            }
            assertEquals(expected.size(), inFlight.size());
        }
    }
}
