package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabLayouts;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.Outcome;
import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SYN and ACK scans of a namespace host whose ports open, close, drop, reset and reject with every
 * ICMP code: each port must get the state and reason nmap gives it, and the same as the real nmap
 * on the same lab in the same run.
 */
class RawScanLabTest {
    private static NetnsLab lab;

    @BeforeAll
    static void startLab() {
        Privileges.requireRoot("raw packets into a network namespace");
        NetnsLab.cleanupLeftovers("ps-raw-");
        lab = NetnsLab.builder().prefix("ps-raw-").subnets("198.18.30.0/24", "2001:db8:30::/64")
                .plan(LabLayouts.standard()).start();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SYN, V4", "SYN, V6", "ACK, V4", "ACK, V6"})
    void everyLabPortGetsNmapsStateAndReason(ScanType type, IpFamily family) throws Exception {
        InetAddress target = lab.target(family);
        PortSet ports = PortSet.of(lab.plan().ports().stream().mapToInt(Integer::intValue).toArray());
        NavigableMap<Integer, Outcome> ours = outcomes(scan(type, target, ports));

        for (Map.Entry<Integer, Expectation> expected : lab.plan().expected(type, family).entrySet()) {
            Outcome got = ours.get(expected.getKey());
            assertTrue(expected.getValue().accepts(got),
                    type + " " + family + " port " + expected.getKey() + ": expected " + expected.getValue() + ", got " + got);
        }
        NmapRun nmap = NmapRunner.scanLab(Duration.ofSeconds(120), type, family, lab.plan().nmapPortList(),
                target.getHostAddress());
        assertEquals(nmap.host(target).tcpOutcomes(), ours, "port by port, ours vs nmap");
    }

    @ParameterizedTest(name = "-p- {0}")
    @EnumSource(IpFamily.class)
    void fullPortSynScanAgreesWithNmap(IpFamily family) throws Exception {
        InetAddress target = lab.target(family);
        HostResult host = scan(ScanType.SYN, target, PortSet.range(1, 65535));
        assertEquals(65535, host.ports().size());
        List<String> args = new java.util.ArrayList<>(List.of("-sS", "-T4", "-p-", "--reason"));
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        args.add(target.getHostAddress());
        NmapRun nmap = NmapRunner.scan(Duration.ofSeconds(300), args.toArray(String[]::new));
        NavigableMap<Integer, Outcome> theirs = nmap.host(target).tcpOutcomes();
        NavigableMap<Integer, Outcome> ours = outcomes(host);
        Map<Integer, String> differences = new TreeMap<>();
        for (int port = 1; port <= 65535; port++) {
            if (!ours.get(port).equals(theirs.get(port))) {
                differences.put(port, "ours " + ours.get(port) + " nmap " + theirs.get(port));
            }
        }
        assertEquals(Map.of(), differences, "every one of 65535 ports agrees with nmap");
    }

    private static HostResult scan(ScanType type, InetAddress target, PortSet ports) throws Exception {
        ScanJob job = new ScanJob(List.of(Target.of(target)), ports, type, RawLoopbackScanTest.aggressive(), true,
                OptionalInt.empty(), Optional.empty(), false);
        return new RawPortScanner(Links::open).scan(job, ScanObserver.NONE).get(0);
    }

    private static NavigableMap<Integer, Outcome> outcomes(HostResult host) {
        NavigableMap<Integer, Outcome> map = new TreeMap<>();
        for (PortResult port : host.ports()) {
            map.put(port.port(), Outcome.of(port.state(), port.reason()));
        }
        return map;
    }
}
