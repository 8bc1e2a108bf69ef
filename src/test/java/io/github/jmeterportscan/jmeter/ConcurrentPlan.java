package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.AddressFormat;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A load test's view of reachability: 200 JMeter threads scan the open, closed, dropped and
 * ICMP-rejected ports of two lab hosts over IPv4 and 10 more threads the same over IPv6, ten loops
 * each, in one engine, one sample per probe ({@code concurrent-lab.jmx}). {@link #run} lists every
 * per-port sample that is not the lab's truth. A reply routed to the wrong scan, missed while
 * another thread held the capture, or timed out on a busy machine shows up as a wrong state.
 */
final class ConcurrentPlan {
    static final String LAB_PREFIX = "ps-conc-";
    /** Open, closed, dropped, rejected with ICMP (port unreachable), and a second open one. */
    private static final int[] PORTS = {22, 81, 82, 87, 443};
    private static final int V4_THREADS = 200;
    private static final int V6_THREADS = 10;
    private static final int LOOPS = 10;
    /** Per-port samples one run makes. */
    static final int SAMPLES = (V4_THREADS + V6_THREADS) * LOOPS * 2 * PORTS.length;

    private ConcurrentPlan() {
    }

    /** The lab the plan scans: the standard plan on two addresses. */
    static LabExtension lab() {
        return LabExtension.of(LAB_PREFIX, () -> NetnsLab.builder().subnets("198.18.63.0/24", "2001:db8:63::/64")
                .plan(LabLayouts.standard()).extraTargets(1));
    }

    /** Runs the plan once; returns the per-port samples that differ from the lab. */
    static List<String> run(NetnsLab lab, Path dir) throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("loops", String.valueOf(LOOPS));
        properties.put("threads_v4", String.valueOf(V4_THREADS));
        properties.put("threads_v6", String.valueOf(V6_THREADS));
        for (IpFamily family : IpFamily.values()) {
            String suffix = family == IpFamily.V4 ? "_v4" : "_v6";
            properties.put("targets" + suffix, targets(lab, family).stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(" ")));
            properties.put("ports" + suffix, Arrays.stream(PORTS).mapToObj(String::valueOf)
                    .collect(Collectors.joining(",")));
            properties.put("expected" + suffix, expectedStates(lab, family));
        }
        Path jtl = dir.resolve("concurrent-" + System.nanoTime() + ".jtl");
        EmbeddedJMeter.run(EmbeddedJMeter.plan("/io/github/jmeterportscan/jmeter/concurrent-lab.jmx", dir),
                properties, jtl);

        Map<String, Expectation> truth = new HashMap<>();
        for (IpFamily family : IpFamily.values()) {
            Map<Integer, Expectation> expected = lab.plan().expected(ScanType.SYN, family);
            for (InetAddress target : targets(lab, family)) {
                for (int port : PORTS) {
                    truth.put(PortOutcome.hostForLabel(AddressFormat.toNmapString(target)) + ":" + port + "/tcp",
                            expected.get(port));
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Sample row : ResultsFile.read(jtl).samples()) {
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
        if (wrong.isEmpty()) {
            assertEquals(SAMPLES, checked, "one sample per probe of every scan");
        }
        return wrong;
    }

    private static List<InetAddress> targets(NetnsLab lab, IpFamily family) {
        return List.of(lab.target(family), lab.extraTargets(family).get(0));
    }

    /** The assertion matrix the sampler checks, from the lab's own plan. */
    private static String expectedStates(NetnsLab lab, IpFamily family) {
        Map<Integer, Expectation> expected = lab.plan().expected(ScanType.SYN, family);
        return Arrays.stream(PORTS)
                .mapToObj(port -> port + "=" + expected.get(port).usual().state().nmapName())
                .collect(Collectors.joining(", "));
    }
}
