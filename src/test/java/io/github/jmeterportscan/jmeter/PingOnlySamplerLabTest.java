package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sampler's ping-only mode in a real JMeter engine: "is every node of the cluster up" gives
 * one row per host, "host up" or "host down" with nmap's reason as response code, and a failed
 * container when a node is down.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PingOnlySamplerLabTest {
    private static final String PLAN = "/io/github/jmeterportscan/jmeter/ping-only.jmx";

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-pingjm-", () -> NetnsLab.builder()
            .subnets("198.18.130.0/24", "2001:db8:128:2::/64")
            .permanentNeighbours(false)
            .extraTargets(1));

    @TempDir
    Path dir;

    @Test
    void oneSamplePerHostSaysUpOrDownWithNmapsReason() throws Exception {
        Privileges.requireRoot("ARP discovery needs raw packets");
        String live = LAB.lab().target(IpFamily.V4).getHostAddress();
        String otherLive = LAB.lab().extraTargets(IpFamily.V4).get(0).getHostAddress();
        String dead = "198.18.130.3";
        Path jtl = dir.resolve("ping.jtl");
        EmbeddedJMeter.run(EmbeddedJMeter.plan(PLAN, dir), Map.of("targets", live + " " + dead + " " + otherLive),
                jtl);

        List<Sample> rows = ResultsFile.read(jtl).samples();
        assertEquals(4, rows.size(), "a container and one row per host: " + rows);
        Sample container = labelled(rows, "cluster nodes up").get(0);
        assertEquals("Number of samples in transaction : 3, number of failing samples : 1",
                container.responseMessage());
        assertFalse(container.success(), "a node is down");
        assertHost(rows, live, "host up", "arp-response", "true");
        assertHost(rows, otherLive, "host up", "arp-response", "true");
        assertHost(rows, dead, "host down", "no-response", "false");
    }

    /**
     * nmap's discovery before a port scan, one sample per host: a host found down is a failed row
     * coded with nmap's reason and "host down", its ports unscanned; a live host's row is its scan.
     */
    @Test
    void perHostSamplesOfADiscoveringScanSayWhichHostIsDown() throws Exception {
        Privileges.requireRoot("ARP discovery needs raw packets");
        String live = LAB.lab().target(IpFamily.V4).getHostAddress();
        String dead = "198.18.130.3";
        Path plan = EmbeddedJMeter.plan(PLAN, dir);
        String text = Files.readString(plan)
                .replace("<stringProp name=\"hostDiscovery\">ping only (-sn)</stringProp>",
                        "<stringProp name=\"hostDiscovery\">nmap's (ARP/ND, ICMP, TCP)</stringProp>")
                .replace("<stringProp name=\"granularity\">per scan</stringProp>",
                        "<stringProp name=\"granularity\">per host</stringProp>")
                .replace("<stringProp name=\"ports\"></stringProp>", "<stringProp name=\"ports\">22</stringProp>")
                .replace("<stringProp name=\"expectedStates\">open</stringProp>",
                        "<stringProp name=\"expectedStates\">open|closed|filtered</stringProp>");
        Files.writeString(plan, text);
        Path jtl = dir.resolve("per-host.jtl");
        EmbeddedJMeter.run(plan, Map.of("targets", live + " " + dead), jtl);

        List<Sample> rows = ResultsFile.read(jtl).samples();
        assertEquals(3, rows.size(), "a container and one row per host: " + rows);
        assertHost(rows, dead, "host down", "no-response", "false");
        Sample up = labelled(rows, live).get(0);
        assertEquals("closed", up.responseCode(), "the live host's port was scanned: " + up);
        assertTrue(up.success(), up.toString());
    }

    private static List<Sample> labelled(List<Sample> rows, String label) {
        return rows.stream().filter(row -> row.label().equals(label)).toList();
    }

    private static void assertHost(List<Sample> rows, String address, String message, String code,
            String success) {
        List<Sample> host = labelled(rows, address);
        assertEquals(1, host.size(), address + " in " + rows);
        assertEquals(message, host.get(0).responseMessage(), address);
        assertEquals(code, host.get(0).responseCode(), address);
        assertEquals(success, host.get(0).get("success"), address);
    }
}
