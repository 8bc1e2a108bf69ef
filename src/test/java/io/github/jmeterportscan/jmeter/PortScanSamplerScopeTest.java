package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.LinkCapture;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.jmeter.util.JMeterUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's scope (JMeter property portscan.scope) in a real JMeter engine: a sample whose
 * target lies outside it fails with OutOfScope and sends nothing, a plan's own --scope cannot
 * widen it, the next sample runs; a scope that does not parse fails every sample; a test without
 * the property has no limit. A capture on lo, filtered on the scans' fixed source port, shows what
 * left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortScanSamplerScopeTest {
    private static final String PLAN = "/io/github/jmeterportscan/jmeter/scope.jmx";
    private static final String SYN = "tcp.flags.syn==1 && tcp.flags.ack==0";
    private static ServerSocket open;

    @TempDir
    Path dir;

    @BeforeAll
    static void listener() throws Exception {
        Privileges.requireRoot("SYN scans and a capture on lo");
        EmbeddedJMeter.home();
        open = new ServerSocket();
        open.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @AfterAll
    static void close() throws Exception {
        if (open != null) {
            open.close();
        }
    }

    @AfterEach
    void forgetTheScope() {
        // Later tests in this JVM run without a scope.
        JMeterUtils.getJMeterProperties().remove(ScopeProperty.NAME);
    }

    /** Runs the plan with a capture on lo; returns the rows by label and the capture. */
    private Run run(String name, Map<String, String> scope) throws Exception {
        int sourcePort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        Map<String, String> properties = new HashMap<>(scope);
        properties.put("open_port", String.valueOf(open.getLocalPort()));
        properties.put("source_port", String.valueOf(sourcePort));
        Path jtl = dir.resolve(name + ".jtl");
        try (LinkCapture capture = LinkCapture.start("lo", "tcp port " + sourcePort, dir.resolve(name + ".pcap"))) {
            EmbeddedJMeter.run(EmbeddedJMeter.plan(PLAN, dir), properties, jtl);
            capture.stop();
            return new Run(ResultsFile.read(jtl).samples(), capture.packets(SYN, "ip.dst"));
        }
    }

    private record Run(List<Sample> rows, List<String> probedAddresses) {
        Sample row(String label) {
            List<Sample> found = ResultsFile.labelled(rows, label);
            assertEquals(1, found.size(), label + " in " + rows);
            return found.get(0);
        }
    }

    @Test
    void aSampleOutsideTheScopeFailsAsOutOfScopeSendsNothingAndThePlanGoesOn() throws Exception {
        Run run = run("scoped", Map.of(ScopeProperty.NAME, "127.0.0.1, ::1"));

        Sample outside = run.row("outside the scope");
        assertEquals("OutOfScope", outside.get("responseCode"));
        assertEquals("false", outside.get("success"));
        assertEquals("127.0.0.2 is outside the scope 127.0.0.1,::1 (portscan.scope); not scanned",
                outside.get("responseMessage"));
        assertEquals(outside.get("responseMessage"), outside.get("portscan_error"));

        Sample widened = run.row("the plan widens its scope");
        assertEquals("OutOfScope", widened.get("responseCode"));
        assertEquals("127.0.0.2 is outside the scope 127.0.0.1,::1 (portscan.scope); not scanned",
                widened.get("responseMessage"), "the plan's --scope narrows only");

        Sample inside = run.row("inside the scope");
        assertEquals("open", inside.get("responseCode"), "the plan went on: " + inside);
        assertEquals("true", inside.get("success"));

        assertTrue(run.probedAddresses().contains("127.0.0.1"), "the capture saw the allowed scan: " + run);
        assertEquals(List.of(), run.probedAddresses().stream().filter(a -> !a.equals("127.0.0.1")).toList(),
                "no probe left for 127.0.0.2");
    }

    @Test
    void aScopeThatDoesNotParseFailsEverySampleAndSendsNothing() throws Exception {
        Run run = run("bad", Map.of(ScopeProperty.NAME, "127.0.0.1/33"));
        for (String label : List.of("outside the scope", "the plan widens its scope", "inside the scope")) {
            Sample row = run.row(label);
            assertEquals("InvalidSpec", row.get("responseCode"), row.toString());
            assertEquals("portscan.scope: \"127.0.0.1/33\" has a bad prefix length: an IPv4 network takes /0 to /32",
                    row.get("responseMessage"));
        }
        assertEquals(List.of(), run.probedAddresses());
    }

    @Test
    void withoutThePropertyATestHasNoLimit() throws Exception {
        // A test after a scoped one: the property is read at each test start.
        run("scoped-first", Map.of(ScopeProperty.NAME, "127.0.0.1"));
        JMeterUtils.getJMeterProperties().remove(ScopeProperty.NAME);
        Run run = run("unscoped", Map.of());

        // Nothing listens on 127.0.0.2: the scan ran and found the port closed.
        assertEquals("closed", run.row("outside the scope").get("responseCode"));
        assertEquals("closed", run.row("the plan widens its scope").get("responseCode"));
        assertEquals("open", run.row("inside the scope").get("responseCode"));
        assertTrue(run.probedAddresses().contains("127.0.0.2") && run.probedAddresses().contains("127.0.0.1"),
                run.toString());
    }
}
