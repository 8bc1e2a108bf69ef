package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.Privileges;
import java.beans.BeanInfo;
import java.beans.PropertyDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testbeans.gui.GenericTestBeanCustomizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sampler as an element: its GUI description, serialisation, interruption, lifecycle. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortScanSamplerTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void jmeter() throws Exception {
        EmbeddedJMeter.home();
    }

    @Test
    void everyFieldOfTheSamplerHasAGroupANameAndADescription() {
        BeanInfo info = new PortScanSamplerBeanInfo();
        assertEquals("Port Scan (Nmap)", info.getBeanDescriptor().getDisplayName());
        List<String> shown = checkDescribed(info);
        assertEquals(List.of("targets", "exclude", "ports", "topPorts", "scanType", "timingTemplate", "maxRetries",
                "hostDiscovery", "hostTimeout", "minRate", "maxRate", "initialRttTimeout", "minRttTimeout", "maxRttTimeout", "scanDelay",
                "networkInterface", "sourcePort", "expectedStates", "granularity", "variablePrefix", "xmlFile",
                "packetTrace", "pcapFile", "nmapOptions").stream().sorted().toList(), shown.stream().sorted().toList());
    }

    @Test
    void everyFieldOfTheAssertionHasAGroupANameAndADescription() {
        BeanInfo info = new PortStateAssertionBeanInfo();
        assertEquals("Port State Assertion", info.getBeanDescriptor().getDisplayName());
        assertEquals(List.of("baselineFile", "expectedStates"), checkDescribed(info).stream().sorted().toList());
    }

    /** The names of the properties in a group, each checked for resource texts. */
    private static List<String> checkDescribed(BeanInfo info) {
        List<String> grouped = new ArrayList<>();
        for (PropertyDescriptor p : info.getPropertyDescriptors()) {
            if (p.getValue(GenericTestBeanCustomizer.GROUP) == null) {
                continue;
            }
            grouped.add(p.getName());
            assertNotEquals(p.getName(), p.getDisplayName(), "display name of " + p.getName());
            assertNotEquals(p.getDisplayName(), p.getShortDescription(), "description of " + p.getName());
            assertNotNull(p.getValue(GenericTestBeanCustomizer.DEFAULT), "default of " + p.getName());
            String group = (String) p.getValue(GenericTestBeanCustomizer.GROUP);
            java.util.ResourceBundle bundle = (java.util.ResourceBundle) info.getBeanDescriptor()
                    .getValue(GenericTestBeanCustomizer.RESOURCE_BUNDLE);
            assertTrue(bundle.containsKey(group + ".displayName"), "group " + group);
        }
        return grouped;
    }

    @Test
    void theElementSerialisesWithItsFieldsAndHoldsNoOtherState() throws Exception {
        for (Field f : PortScanSampler.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m)) {
                assertTrue(f.getType() == String.class || Modifier.isTransient(m),
                        f.getName() + " must be a String property or transient");
            }
        }
        PortScanSampler sampler = new PortScanSampler();
        sampler.setName("gate");
        sampler.setTargets("${host}");
        sampler.setPorts("443");
        sampler.setExpectedStates("443=open");
        sampler.setGranularity("per port");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sampler);
        }
        PortScanSampler copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (PortScanSampler) in.readObject();
        }
        assertEquals("gate", copy.getName());
        assertEquals(sampler.settings(), copy.settings());
        assertEquals("443=open", copy.getExpectedStates());
        assertEquals("per port", copy.getGranularity());
    }

    @Test
    void interruptStopsARunningScanPromptlyAndLeavesTheThreadUsable() throws Exception {
        PortScanSampler sampler = new PortScanSampler();
        sampler.setName("slow");
        sampler.setTargets("127.0.0.1");
        // A connect scan waiting a second between probes: about 50 s unless interrupted.
        sampler.setNmapOptions("-sT -p 1-50 --scan-delay 1s");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Object[]> running = pool.submit(() -> {
                SampleResult r = sampler.sample(null);
                return new Object[] {r, Thread.currentThread().isInterrupted()};
            });
            boolean interrupted = false;
            for (int i = 0; i < 50 && !interrupted; i++) {
                Thread.sleep(100);
                interrupted = sampler.interrupt();
            }
            assertTrue(interrupted, "the scan was never seen running");
            long asked = System.nanoTime();
            Object[] done = running.get(10, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            assertTrue(tookMillis < 3_000, "stopped " + tookMillis + " ms after the interrupt");
            SampleResult result = (SampleResult) done[0];
            assertEquals("Interrupted", result.getResponseCode());
            assertFalse(result.isSuccessful());
            assertEquals(Boolean.FALSE, done[1], "no interrupt left pending for the next sampler");
            assertFalse(sampler.interrupt(), "nothing to interrupt after the sample");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnknownHostFailsTheSampleWithNmapsMessage() {
        // Names resolve through the test hosts file (jdk.net.hosts.file): no DNS query leaves.
        PortScanSampler sampler = new PortScanSampler();
        sampler.setName("unknown");
        sampler.setTargets("no-such-host.invalid");
        sampler.setPorts("22");
        SampleResult result = sampler.sample(null);
        assertFalse(result.isSuccessful());
        assertEquals("InvalidSpec", result.getResponseCode());
        assertEquals("Failed to resolve \"no-such-host.invalid\".", result.getResponseMessage());
        assertEquals("portscan -Pn -p 22 no-such-host.invalid", result.getSamplerData());
    }

    @Test
    void eachDistinctErrorIsLoggedOnce() {
        String message = "unique message " + System.nanoTime();
        assertTrue(OnceLog.warn("s", "ScanError", message));
        assertFalse(OnceLog.warn("s", "ScanError", message));
        assertFalse(OnceLog.warn("other sampler", "ScanError", message));
        assertTrue(OnceLog.warn("s", "InvalidSpec", message));
    }

    @Test
    void eachDistinctNoteIsLoggedOnce() {
        String note = "unique note " + System.nanoTime();
        assertTrue(OnceLog.note("s", note));
        assertFalse(OnceLog.note("s", note));
        assertFalse(OnceLog.note("other sampler", note));
        assertTrue(OnceLog.warn("s", "ScanError", note), "an error with the same text is still logged");
    }

    @Test
    void capturesAreKeptFromTheFirstTestStartToTheLastTestEnd() {
        PortScanSampler a = new PortScanSampler();
        PortScanSampler b = new PortScanSampler();
        assertFalse(CaptureKeepAlive.active());
        a.testStarted();
        b.testStarted("remote-host");
        a.testEnded();
        assertTrue(CaptureKeepAlive.active(), "b's test is still running");
        b.testEnded("remote-host");
        assertFalse(CaptureKeepAlive.active());
        b.testEnded(); // unbalanced end: harmless
        assertFalse(CaptureKeepAlive.active());
    }

    @Test
    void aScanAgreesWithABaselineWrittenByNmap() throws Exception {
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/nmap")), "nmap is not installed");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket listener = new ServerSocket(0, 50, loopback)) {
            int closed;
            try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                closed = probe.getLocalPort();
            }
            String ports = listener.getLocalPort() + "," + closed;
            Path baseline = dir.resolve("nmap.xml");
            Process nmap = Commands.start(new ProcessBuilder("nmap", "-n", "-Pn", Privileges.isRoot() ? "-sS" : "-sT", "-p", ports,
                    "--max-retries", "1", "-oX", baseline.toString(), "127.0.0.1").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("nmap.out").toFile()));
            assertTrue(nmap.waitFor(60, TimeUnit.SECONDS), "nmap did not finish");
            assertEquals(0, nmap.exitValue(), Files.readString(dir.resolve("nmap.out")));

            PortScanSampler sampler = new PortScanSampler();
            sampler.setName("regression");
            sampler.setTargets("127.0.0.1");
            sampler.setPorts(ports);
            sampler.setExpectedStates("");
            sampler.setGranularity("per port");
            SampleResult result = sampler.sample(null);
            assertTrue(result.isSuccessful(), result.getResponseCode() + " " + result.getResponseMessage());
            PortStateAssertion assertion = new PortStateAssertion();
            assertion.setBaselineFile(baseline.toString());
            AssertionResult same = assertion.getResult(result);
            assertFalse(same.isFailure() || same.isError(), same.getFailureMessage());

            // The listener goes away: the firewall picture changed and the assertion says where.
            listener.close();
            SampleResult after = sampler.sample(null);
            AssertionResult changed = assertion.getResult(after);
            assertTrue(changed.isFailure());
            assertTrue(changed.getFailureMessage().startsWith("127.0.0.1:" + listener.getLocalPort()
                    + "/tcp: expected open, got closed ("), changed.getFailureMessage());
        }
    }
}
