package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.ProcessResources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.jmeter.samplers.SampleResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test runs started and ended over and over in one JVM as JMeter makes them (the GUI runs one
 * test after another in the same JVM): every element's testStarted, a SYN scan and a connect
 * scan of a listener and a closed port on 127.0.0.1, every element's testEnded. The SYN scan saves
 * its packets to a pcap file (a writer thread per test), and every {@link #TRACE_EVERY}th connect
 * scan traces its packets (a capture of its own per scan). Afterwards the process must hold no
 * capture handle (packet socket), scanner thread, raw socket or TCP socket more than before, and at
 * most {@link #TOLERANCE} more descriptors and threads: a leak of one per run leaves as many as
 * there were runs.
 */
final class StartStopCycles {
    private static final Logger LOG = LoggerFactory.getLogger(StartStopCycles.class);
    /** Runs before the baseline: classes, the JNA libraries and the send helpers load on first use. */
    private static final int WARM_UP = 5;
    /** Descriptors and threads the JVM may open by itself meanwhile (none seen in practice). */
    private static final int TOLERANCE = 2;
    /** A traced connect scan waits 100 ms for its last packets: only some runs trace. */
    private static final int TRACE_EVERY = 10;

    private StartStopCycles() {
    }

    static void run(int cycles, Path dir) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket listener = new ServerSocket(0, 50, loopback)) {
            // The connect scan completes handshakes: take them off the accept queue, or it fills.
            Thread acceptor = new Thread(() -> acceptAll(listener), "start-stop-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            int open = listener.getLocalPort();
            int closed;
            try (ServerSocket gone = new ServerSocket(0, 1, loopback)) {
                closed = gone.getLocalPort();
            }
            String ports = open + "," + closed;
            PortScanSampler syn = sampler("syn", "-sS -p " + ports + " --max-retries 1", open, closed);
            PortScanSampler connect = sampler("connect", "-sT -p " + ports + " --max-retries 1", open, closed);
            syn.setPcapFile(dir.resolve("syn.pcap").toString());
            for (int i = 0; i < WARM_UP; i++) {
                connect.setPacketTrace(String.valueOf(i == 0));
                cycle(syn, connect);
            }
            ProcessResources before = settled(StartStopCycles::noCapture);
            int mostCaptures = 0;
            long startNanos = System.nanoTime();
            for (int i = 0; i < cycles; i++) {
                connect.setPacketTrace(String.valueOf(i % TRACE_EVERY == 0));
                ProcessResources during = cycle(syn, connect);
                assertTrue(during.packetSockets() >= 1, "the run's capture is open while it runs: " + during.handles());
                mostCaptures = Math.max(mostCaptures, during.captureThreads());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            ProcessResources after = settled(StartStopCycles::noCapture);
            LOG.info("{} test start/stop cycles in {} ms: before {}, after {}, at most {} capture threads at once",
                    cycles, millis, before.handles(), after.handles(), mostCaptures);
            assertEquals(0, after.scanThreads(), "capture or writer threads left: " + after.handles());
            assertEquals(0, after.packetSockets(), "pcap handles left: " + after.handles());
            assertEquals(before.rawSockets(), after.rawSockets(), "raw sockets left: " + after.handles());
            assertEquals(before.tcpSockets(), after.tcpSockets(), "TCP sockets left: " + after.handles());
            assertTrue(after.fds() <= before.fds() + TOLERANCE, before.handles() + " -> " + after.handles());
            assertTrue(after.threads() <= before.threads() + TOLERANCE, before.handles() + " -> " + after.handles());
            // Captures close on their own thread, within a test run or two: they never pile up.
            assertTrue(mostCaptures <= 3, mostCaptures + " capture threads at once");
        }
    }

    /** One test run: every element's testStarted, the samples, every testEnded. */
    private static ProcessResources cycle(PortScanSampler... samplers) {
        for (PortScanSampler sampler : samplers) {
            sampler.testStarted();
        }
        for (PortScanSampler sampler : samplers) {
            SampleResult result = sampler.sample(null);
            assertTrue(result.isSuccessful(), sampler.getName() + ": " + result.getResponseCode() + " "
                    + result.getResponseMessage() + " " + result.getFirstAssertionFailureMessage());
            assertEquals("open=1 closed=1", result.getResponseCode(), sampler.getName());
        }
        ProcessResources during = ProcessResources.now();
        for (PortScanSampler sampler : samplers) {
            sampler.testEnded();
        }
        return during;
    }

    private static PortScanSampler sampler(String name, String options, int open, int closed) {
        PortScanSampler sampler = new PortScanSampler();
        sampler.setName(name);
        sampler.setTargets("127.0.0.1");
        sampler.setNmapOptions(options);
        sampler.setExpectedStates(open + "=open, " + closed + "=closed");
        return sampler;
    }

    private static void acceptAll(ServerSocket listener) {
        while (!listener.isClosed()) {
            try (Socket accepted = listener.accept()) {
                // accepted and closed: the scanner only needed the handshake
            } catch (IOException e) {
                return; // the listener closed
            }
        }
    }

    static boolean noCapture(ProcessResources resources) {
        return resources.scanThreads() == 0 && resources.packetSockets() == 0;
    }

    /** The process once {@code done} holds (captures close on their own thread), or after 5 s. */
    static ProcessResources settled(Predicate<ProcessResources> done) throws InterruptedException {
        ProcessResources now = ProcessResources.now();
        for (int i = 0; i < 100 && !done.test(now); i++) {
            Thread.sleep(50);
            now = ProcessResources.now();
        }
        return now;
    }
}
