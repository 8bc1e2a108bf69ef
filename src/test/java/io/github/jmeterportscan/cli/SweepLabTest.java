package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapHost;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.Outcome;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.Commands;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sweeps of many hosts x few ports through the command line: the lab's namespace answers for every
 * address of a routed block (a local route on its lo), one gateway away, with the same ports on
 * each (31338 open, 7 closed, 25 dropped). Every port of every host must be the lab's truth, on a
 * clean path and behind random loss each way, and a small block must equal nmap's scan host by host.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SweepLabTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final int OPEN = 31338;
    private static final int CLOSED = 7;
    private static final int DROPPED = 25;
    private static final String PORTS = CLOSED + "," + DROPPED + "," + OPEN;
    /** The block the namespace answers for; the tests sweep parts of it. */
    private static final String ANY_IP = "198.18.224.0/20";
    private static final Map<Integer, Outcome> TRUTH = Map.of(
            OPEN, Outcome.of(PortState.OPEN, Reason.SYN_ACK),
            CLOSED, Outcome.of(PortState.CLOSED, Reason.RESET),
            DROPPED, Outcome.of(PortState.FILTERED, Reason.NO_RESPONSE));

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-sweep-", () -> NetnsLab.builder()
            .subnets("198.18.46.0/24", "2001:db8:46::/64")
            .plan(LabPortPlan.builder().open(OPEN).closed(CLOSED).port(DROPPED, PortBehavior.DROP).build()));

    @TempDir
    Path dir;

    @BeforeAll
    static void routeTheBlock() {
        NetnsLab lab = LAB.lab();
        requireOk(lab.execInNamespace("ip", "route", "add", "local", ANY_IP, "dev", "lo"));
        requireOk(Commands.run(COMMAND_TIMEOUT, "ip", "route", "add", ANY_IP, "via",
                lab.target(IpFamily.V4).getHostAddress(), "dev", lab.hostInterface()));
    }

    @Test
    void aSmallSweepEqualsNmapHostByHost() {
        String block = "198.18.224.0/27";
        Path ours = dir.resolve("ours.xml");
        InProcessCli cli = InProcessCli.run(List.of("-sS", "-Pn", "-n", "-T4", "-p", PORTS, block, "-oX",
                ours.toString()));
        assertEquals(0, cli.status(), cli.stderr());
        NmapRun nmap = NmapRunner.scan(Duration.ofSeconds(120), "-sS", "-Pn", "-n", "-T4", "-p", PORTS, block);
        assertEquals(outcomes(nmap), outcomes(NmapXml.parse(ours)));
        assertEquals(32, outcomes(NmapXml.parse(ours)).size());
    }

    @Test
    void aSweepOfAThousandHostsGivesEveryPortTheLabsState() throws Exception {
        assertExact("198.18.228.0/22", 1024, sweep("198.18.228.0/22", "-T4"));
    }

    @Test
    void aSweepBehindRandomLossEachWayStaysExact() throws Exception {
        String loss = "table inet sweep_loss {\n"
                + "  chain input { type filter hook input priority -10; numgen random mod 100 < 10 drop; }\n"
                + "  chain output { type filter hook output priority -10; numgen random mod 100 < 10 drop; }\n"
                + "}\n";
        Path rules = dir.resolve("loss.nft");
        java.nio.file.Files.writeString(rules, loss);
        NetnsLab lab = LAB.lab();
        requireOk(lab.execInNamespace("nft", "-f", rules.toString()));
        try {
            assertExact("198.18.232.0/24", 256, sweep("198.18.232.0/24"));
        } finally {
            requireOk(lab.execInNamespace("nft", "delete", "table", "inet", "sweep_loss"));
        }
    }

    private NmapRun sweep(String block, String... timing) {
        Path xml = dir.resolve("sweep.xml");
        List<String> args = new ArrayList<>(List.of("-sS", "-Pn", "-n"));
        args.addAll(List.of(timing));
        args.addAll(List.of("-p", PORTS, block, "-oX", xml.toString()));
        InProcessCli cli = InProcessCli.run(args);
        assertEquals(0, cli.status(), cli.stderr());
        return NmapXml.parse(xml);
    }

    private static void assertExact(String block, int hosts, NmapRun run) throws Exception {
        Map<String, NavigableMap<Integer, Outcome>> found = outcomes(run);
        assertEquals(hosts, found.size(), "hosts reported");
        List<String> wrong = new ArrayList<>();
        byte[] base = InetAddress.getByName(block.substring(0, block.indexOf('/'))).getAddress();
        for (int i = 0; i < hosts; i++) {
            byte[] a = base.clone();
            a[2] += (byte) (i / 256);
            a[3] = (byte) (i % 256);
            String address = InetAddress.getByAddress(a).getHostAddress();
            NavigableMap<Integer, Outcome> ports = found.get(address);
            if (!new TreeMap<>(TRUTH).equals(ports)) {
                wrong.add(address + " " + ports);
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())),
                wrong.size() + " of " + hosts + " hosts differ from the lab's truth " + TRUTH);
    }

    private static Map<String, NavigableMap<Integer, Outcome>> outcomes(NmapRun run) {
        Map<String, NavigableMap<Integer, Outcome>> byHost = new TreeMap<>();
        for (NmapHost host : run.hosts()) {
            byHost.put(host.address(), host.tcpOutcomes());
        }
        return byHost;
    }

    private static void requireOk(Commands.Result result) {
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
    }
}
