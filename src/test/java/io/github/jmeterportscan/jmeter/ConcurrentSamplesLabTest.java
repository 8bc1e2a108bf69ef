package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load test's view of reachability: 200 JMeter threads scan the open, closed, dropped and
 * ICMP-rejected ports of two lab hosts over IPv4 and 10 more threads the same over IPv6, ten loops
 * each, in one engine, one sample per probe; every per-port sample must be the lab's truth. A
 * reply routed to the wrong scan, missed while another thread held the capture, or timed out on
 * a busy machine shows up here as a wrong state.
 */
class ConcurrentSamplesLabTest {
    /** Open, closed, dropped, rejected with ICMP (port unreachable), and a second open one. */
    private static final int[] PORTS = {22, 81, 82, 87, 443};
    private static final int V4_THREADS = 200;
    private static final int V6_THREADS = 10;
    private static final int LOOPS = 10;

    @TempDir
    Path dir;

    private static NetnsLab lab;

    @BeforeAll
    static void startLab() {
        Privileges.requireRoot("raw packets into a network namespace");
        NetnsLab.cleanupLeftovers("ps-conc-");
        lab = NetnsLab.builder().prefix("ps-conc-").subnets("198.18.63.0/24", "2001:db8:63::/64")
                .plan(LabLayouts.standard()).extraTargets(1).start();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyPerPortSampleOfTwoHundredThreadsIsTheLabsTruth() throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("loops", String.valueOf(LOOPS));
        properties.put("threads_v4", String.valueOf(V4_THREADS));
        properties.put("threads_v6", String.valueOf(V6_THREADS));
        for (IpFamily family : IpFamily.values()) {
            String suffix = family == IpFamily.V4 ? "_v4" : "_v6";
            properties.put("targets" + suffix, targets(family).stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(" ")));
            properties.put("ports" + suffix, ports());
            properties.put("expected" + suffix, expectedStates(family));
        }
        Path jtl = dir.resolve("concurrent.jtl");
        EmbeddedJMeter.run(EmbeddedJMeter.plan("/io/github/jmeterportscan/jmeter/concurrent-lab.jmx", dir),
                properties, jtl);

        Map<String, Expectation> truth = new HashMap<>();
        for (IpFamily family : IpFamily.values()) {
            Map<Integer, Expectation> expected = lab.plan().expected(ScanType.SYN, family);
            for (InetAddress target : targets(family)) {
                for (int port : PORTS) {
                    truth.put(PortOutcome.hostForLabel(io.github.jmeterportscan.spec.AddressFormat.toNmapString(target)) + ":" + port + "/tcp",
                            expected.get(port));
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map<String, String> row : Jtl.read(jtl)) {
            Expectation expected = truth.get(row.get("label"));
            if (expected == null) {
                if (!row.get("responseMessage").startsWith("Number of samples")) {
                    wrong.add("unexpected row " + row);
                }
                continue; // a container row
            }
            checked++;
            PortState state = PortState.fromNmapName(row.get("responseCode"));
            Reason reason = Reason.fromNmapName(row.get("responseMessage").split(" ")[0]);
            if (!expected.accepts(state, reason)) {
                wrong.add(row.get("label") + " expected " + expected + ", got " + state + "/" + reason
                        + " (" + row.get("elapsed") + " ms)");
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + checked + " per-port samples differ from the lab: "
                + wrong.subList(0, Math.min(20, wrong.size())));
        int samples = (V4_THREADS + V6_THREADS) * LOOPS * 2 * PORTS.length;
        assertEquals(samples, checked, "one sample per probe of every scan");

    }

    private static List<InetAddress> targets(IpFamily family) {
        List<InetAddress> targets = new ArrayList<>();
        targets.add(lab.target(family));
        targets.add(lab.extraTargets(family).get(0));
        return targets;
    }

    private static String ports() {
        return java.util.Arrays.stream(PORTS).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    /** The assertion matrix the sampler checks, from the lab's own plan. */
    private static String expectedStates(IpFamily family) {
        Map<Integer, Expectation> expected = lab.plan().expected(ScanType.SYN, family);
        return java.util.Arrays.stream(PORTS)
                .mapToObj(port -> port + "=" + expected.get(port).usual().state().nmapName())
                .collect(Collectors.joining(", "));
    }
}
