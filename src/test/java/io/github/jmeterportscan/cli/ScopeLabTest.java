package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.spec.AddressFormat;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.LinkCapture;
import io.github.jmeterportscan.testsupport.NetnsLab;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scope guard through the command line, proved on the wire: dumpcap captures the lab's link
 * (every frame: TCP, ARP, neighbour discovery) while the CLI is refused a lab address outside
 * --scope, and while it is given broadcast, multicast and unspecified addresses next to an allowed
 * host; lo is captured for 0.0.0.0 and ::. Each capture also holds an allowed scan, whose probes
 * must show, so that no empty answer can come from a capture that saw nothing.
 *
 * <p>The lab's neighbours are not permanent: a scan that began for a refused lab address would ask
 * for its MAC address first, and the capture would show it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScopeLabTest {
    private static final String PREFIX = "ps-scope-";
    private static final int OPEN = 22;
    private static final int CLOSED = 81;
    /** Both answer at once, so each allowed scan sends exactly one SYN per port (no retries). */
    private static final String PORTS = OPEN + "," + CLOSED;
    private static final String SCOPE = "198.18.110.0/28,2001:db8:110::/124";
    private static final String OUTSIDE = "outside the scope " + SCOPE + " (--scope); not scanned";

    @TempDir
    Path dir;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(PREFIX, () -> NetnsLab.builder()
            .subnets("198.18.110.0/24", "2001:db8:110::/64")
            .plan(LabPortPlan.builder().open(OPEN).closed(CLOSED).build())
            .extraTargets(1).permanentNeighbours(false));

    private static List<String> scan(String type, IpFamily family, String... rest) {
        List<String> args = new ArrayList<>(List.of(type, "-Pn", "-n", "--max-retries", "0", "-p", PORTS));
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        args.addAll(Arrays.asList(rest));
        return args;
    }

    private static String literal(InetAddress address) {
        return AddressFormat.toNmapString(address);
    }

    private static String inside(IpFamily family) {
        return literal(LAB.lab().target(family));
    }

    private static String outside(IpFamily family) {
        return literal(LAB.lab().extraTargets(family).get(0));
    }

    /** tshark's filter for frames that concern {@code address} in any way: IP, ARP or neighbour discovery. */
    private static String about(String address) {
        return address.contains(":")
                ? "ipv6.addr==" + address + " || icmpv6.nd.ns.target_address==" + address
                        + " || icmpv6.nd.na.target_address==" + address
                : "ip.addr==" + address + " || arp.dst.proto_ipv4==" + address + " || arp.src.proto_ipv4==" + address;
    }

    private static String synsTo(String address) {
        return "tcp.flags.syn==1 && tcp.flags.ack==0 && " + (address.contains(":") ? "ipv6.dst==" : "ip.dst==")
                + address;
    }

    @Test
    void aTargetOutsideTheScopeRefusesTheRunAndNothingLeavesForIt() {
        try (LinkCapture capture = LinkCapture.start(LAB.lab().hostInterface(), "", dir.resolve("refused.pcap"))) {
            for (IpFamily family : IpFamily.values()) {
                for (String type : List.of("-sS", "-sT")) {
                    // Alone, and after an allowed host: the whole run is refused either way.
                    for (List<String> targets : List.of(List.of(outside(family)),
                            List.of(inside(family), outside(family)))) {
                        List<String> args = scan(type, family, "--scope", SCOPE);
                        args.addAll(targets);
                        InProcessCli run = InProcessCli.run(args);
                        assertEquals(1, run.status(), args + ": " + run);
                        assertEquals(outside(family) + " is " + OUTSIDE + "\nQUITTING!\n", run.stderr(), args.toString());
                        assertEquals("", run.stdout(), "no scan started: " + args);
                    }
                }
            }
            // The allowed scans, in the same capture.
            for (IpFamily family : IpFamily.values()) {
                InProcessCli run = InProcessCli.run(scan("-sS", family, "--scope", SCOPE, inside(family)));
                assertEquals(0, run.status(), run.toString());
                assertTrue(run.stdout().contains(OPEN + "/tcp open"), run.stdout());
            }
            capture.stop();
            for (IpFamily family : IpFamily.values()) {
                assertEquals(List.of(), capture.packets(about(outside(family))),
                        "nothing to, from or about " + outside(family));
                assertEquals(2, capture.packets(synsTo(inside(family))).size(),
                        "one SYN per port from the allowed scan of " + inside(family) + ", none from the refused runs");
            }
        }
    }

    @Test
    void broadcastMulticastAndUnspecifiedAddressesAreLeftOutAndTheRestIsScanned() {
        String broadcast = "198.18.110.255";
        List<String> neverScanned = List.of(broadcast, "224.0.0.1", "255.255.255.255", "0.0.0.0", "ff02::1", "::");
        try (LinkCapture capture = LinkCapture.start(LAB.lab().hostInterface(), "", dir.resolve("not-hosts.pcap"))) {
            // Inside a scope that holds them all, sent out of the lab's link (-e) if anything were sent.
            InProcessCli v4 = InProcessCli.run(scan("-sS", IpFamily.V4, "--scope", "0.0.0.0/0",
                    "-e", LAB.lab().hostInterface(), inside(IpFamily.V4), broadcast, "224.0.0.1", "255.255.255.255", "0.0.0.0"));
            assertEquals(0, v4.status(), v4.toString());
            assertEquals("WARNING: 198.18.110.255 is the broadcast address of 198.18.110.0/24 on "
                    + LAB.lab().hostInterface() + "; not scanned\n"
                    + "WARNING: 224.0.0.1 is a multicast address (224.0.0.0/4); not scanned\n"
                    + "WARNING: 255.255.255.255 is the limited broadcast address; not scanned\n"
                    + "WARNING: 0.0.0.0 is the unspecified address; not scanned\n", v4.stderr());
            assertTrue(v4.stdout().contains("Nmap scan report for " + inside(IpFamily.V4) + "\n"), v4.stdout());
            assertTrue(v4.stdout().contains("Nmap done: 1 IP address (1 host up)"), v4.stdout());

            InProcessCli v6 = InProcessCli.run(scan("-sS", IpFamily.V6, "-e", LAB.lab().hostInterface(),
                    inside(IpFamily.V6), "ff02::1", "::"));
            assertEquals(0, v6.status(), v6.toString());
            assertEquals("WARNING: ff02::1 is a multicast address (ff00::/8); not scanned\n"
                    + "WARNING: :: is the unspecified address; not scanned\n", v6.stderr());
            assertTrue(v6.stdout().contains("Nmap done: 1 IP address (1 host up)"), v6.stdout());

            InProcessCli nothingLeft = InProcessCli.run(scan("-sS", IpFamily.V4, broadcast));
            assertEquals(0, nothingLeft.status(), "as nmap when no target is left: " + nothingLeft);
            assertTrue(nothingLeft.stderr().endsWith("WARNING: No targets were specified, so 0 hosts scanned.\n"),
                    nothingLeft.stderr());
            capture.stop();

            for (IpFamily family : IpFamily.values()) {
                assertEquals(2, capture.packets(synsTo(inside(family))).size(), "the allowed host was scanned");
            }
            for (String address : neverScanned) {
                assertEquals(List.of(), capture.packets("tcp && " + (address.contains(":") ? "ipv6.dst==" : "ip.dst==")
                        + address), "no probe to " + address);
            }
            assertEquals(4, capture.packets("tcp.flags.syn==1 && tcp.flags.ack==0").size(), "no other probe at all");
        }
    }

    @Test
    void theUnspecifiedAddressesNeverReachLoopback() throws Exception {
        // 0.0.0.0 and :: would reach this host through lo. The closed port and a fixed source port
        // single out this test's probes among whatever else runs on lo.
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = gone.getLocalPort();
        }
        int sourcePort = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        try (LinkCapture capture = LinkCapture.start("lo", "tcp port " + sourcePort, dir.resolve("lo.pcap"))) {
            for (List<String> targets : List.of(List.of("0.0.0.0", "127.0.0.1"), List.of("-6", "::", "::1"))) {
                List<String> args = new ArrayList<>(List.of("-sS", "-Pn", "-n", "--max-retries", "0", "-p",
                        String.valueOf(port), "-g", String.valueOf(sourcePort)));
                args.addAll(targets);
                InProcessCli run = InProcessCli.run(args);
                assertEquals(0, run.status(), run.toString());
                assertTrue(run.stderr().contains(" is the unspecified address; not scanned"), run.stderr());
                assertTrue(run.stdout().contains(port + "/tcp closed"), run.stdout());
            }
            capture.stop();
            List<String> probes = capture.packets("tcp.flags.syn==1 && tcp.flags.ack==0", "ip.dst", "ipv6.dst");
            assertEquals(List.of("127.0.0.1", "::1"), probes.stream().map(String::strip).toList(),
                    "one probe to each loopback address and none for 0.0.0.0 or ::");
        }
    }
}
