package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapPort;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connect scans of a lab namespace whose firewall drops some ports and rejects others with every
 * ICMP/ICMPv6 error nmap tells apart; each verdict is checked against what the rule means and
 * against the real nmap scanning the same lab.
 *
 * <p>RTT timeouts are fixed at 1.5 s. On veth the kernel can process the ICMP error while our own
 * connect() still holds the socket lock; it then only notes a soft error and reports the failure
 * at its SYN retransmission one second later (TcpExtLockDroppedIcmps). With a shorter timeout the
 * verdict would depend on that race, for nmap as much as for us.
 *
 * <p>The lab: this host 198.18.11.1 / 2001:db8:11::1, the target 198.18.11.2 / 2001:db8:11::2,
 * with ICMP error rate limits lifted so every rejected SYN gets its error.
 */
class ConnectPortScannerLabTest {
    private static final String PREFIX = "ps-conn-";
    static final String LAB4 = "198.18.11.2";
    static final String LAB6 = "2001:db8:11::2";
    private static final int[] OPEN = {8080, 8081};
    private static final int CLOSED = 8082;
    private static final int[] DROPPED = {9001, 9002};
    /** A block of silently dropped ports, for interruption and host-timeout tests. */
    private static final int DROPPED_BLOCK_FIRST = 10000;
    private static final int DROPPED_BLOCK_LAST = 10999;
    private static final Duration RTT = Duration.ofMillis(1500);
    private static final PortSet LAB_PORTS = PortSet.parseRanges("8080-8082,9001-9011");
    private static NetnsLab lab;

    @BeforeAll
    static void createLab() throws IOException {
        Privileges.requireRoot("creates a network namespace with nftables rules");
        Privileges.require(Commands.installed("ip") && Commands.installed("nft") && Commands.installed("python3"),
                "ip, nft and python3 are required for the lab");
        NetnsLab.cleanupLeftovers(PREFIX);
        lab = NetnsLab.builder().prefix(PREFIX).subnets("198.18.11.0/24", "2001:db8:11::/64").plan(plan()).start();
        assertEquals(InetAddress.getByName(LAB4), lab.target(IpFamily.V4));
        assertEquals(InetAddress.getByName(LAB6), lab.target(IpFamily.V6));
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * Open, closed and dropped ports, and on 9003.. every rejection nmap tells apart: IPv4
     * host-unreachable, admin-prohibited, net-unreachable, port-unreachable, tcp reset,
     * prot-unreachable, host-prohibited, net-prohibited and code 8 ("source host isolated", which
     * Linux reports as ENONET); IPv6 addr-unreachable, admin-prohibited, no-route, port-unreachable,
     * tcp reset, policy-fail, reject-route, and 9010-9011 closed.
     */
    private static LabPortPlan plan() {
        return LabPortPlan.builder()
                .open(OPEN)
                .closed(CLOSED)
                .drop(DROPPED)
                .range(DROPPED_BLOCK_FIRST, DROPPED_BLOCK_LAST, PortBehavior.DROP)
                .port(9003, PortBehavior.ICMP_HOST_UNREACHABLE, PortBehavior.ICMPV6_ADDR_UNREACHABLE)
                .port(9004, PortBehavior.ICMP_ADMIN_PROHIBITED, PortBehavior.ICMPV6_ADMIN_PROHIBITED)
                .port(9005, PortBehavior.ICMP_NET_UNREACHABLE, PortBehavior.ICMPV6_NO_ROUTE)
                .port(9006, PortBehavior.ICMP_PORT_UNREACHABLE, PortBehavior.ICMPV6_PORT_UNREACHABLE)
                .tcpReset(9007)
                .port(9008, PortBehavior.ICMP_PROT_UNREACHABLE, PortBehavior.ICMPV6_POLICY_FAIL)
                .port(9009, PortBehavior.ICMP_HOST_PROHIBITED, PortBehavior.ICMPV6_REJECT_ROUTE)
                .port(9010, PortBehavior.ICMP_NET_PROHIBITED, PortBehavior.CLOSED)
                .port(9011, PortBehavior.ICMP_HOST_ISOLATED, PortBehavior.CLOSED)
                .build();
    }

    /** What each lab port must yield, from the rule on it and Linux's ICMP-to-errno table. */
    private static Map<Integer, PortResult> expected(boolean ipv6) {
        Map<Integer, PortResult> expected = new TreeMap<>();
        for (int port : OPEN) {
            expected.put(port, verdict(port, PortState.OPEN, Reason.SYN_ACK));
        }
        expected.put(CLOSED, verdict(CLOSED, PortState.CLOSED, Reason.CONN_REFUSED));
        for (int port : DROPPED) {
            expected.put(port, verdict(port, PortState.FILTERED, Reason.NO_RESPONSE));
        }
        if (!ipv6) {
            // IPv4 admin-, host- and net-prohibited arrive as EHOSTUNREACH/ENETUNREACH.
            expected.put(9003, verdict(9003, PortState.FILTERED, Reason.HOST_UNREACH));
            expected.put(9004, verdict(9004, PortState.FILTERED, Reason.HOST_UNREACH));
            expected.put(9005, verdict(9005, PortState.FILTERED, Reason.NET_UNREACH));
            expected.put(9006, verdict(9006, PortState.CLOSED, Reason.CONN_REFUSED));
            expected.put(9007, verdict(9007, PortState.CLOSED, Reason.CONN_REFUSED));
            expected.put(9008, verdict(9008, PortState.FILTERED, Reason.PROTO_UNREACH));
            expected.put(9009, verdict(9009, PortState.FILTERED, Reason.HOST_UNREACH));
            expected.put(9010, verdict(9010, PortState.FILTERED, Reason.NET_UNREACH));
            expected.put(9011, verdict(9011, PortState.FILTERED, Reason.DEST_UNREACH));
        } else {
            // ICMPv6 admin-prohibited, policy-fail and reject-route arrive as EACCES.
            expected.put(9003, verdict(9003, PortState.FILTERED, Reason.HOST_UNREACH));
            expected.put(9004, verdict(9004, PortState.FILTERED, Reason.ADMIN_PROHIBITED));
            expected.put(9005, verdict(9005, PortState.FILTERED, Reason.NET_UNREACH));
            expected.put(9006, verdict(9006, PortState.CLOSED, Reason.CONN_REFUSED));
            expected.put(9007, verdict(9007, PortState.CLOSED, Reason.CONN_REFUSED));
            expected.put(9008, verdict(9008, PortState.FILTERED, Reason.ADMIN_PROHIBITED));
            expected.put(9009, verdict(9009, PortState.FILTERED, Reason.ADMIN_PROHIBITED));
            expected.put(9010, verdict(9010, PortState.CLOSED, Reason.CONN_REFUSED));
            expected.put(9011, verdict(9011, PortState.CLOSED, Reason.CONN_REFUSED));
        }
        return expected;
    }

    private static PortResult verdict(int port, PortState state, Reason reason) {
        return new PortResult(port, state, reason, 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {LAB4, LAB6})
    void everyKindOfAnswerGetsNmapsVerdict(String address) throws Exception {
        boolean ipv6 = address.contains(":");
        Target target = Target.of(InetAddress.getByName(address));
        HostResult ours = new ConnectPortScanner().scan(
                ScanJobs.connect(List.of(target), LAB_PORTS, ScanJobs.fixedTimeout(RTT, 1)), ScanObserver.NONE).get(0);

        Map<Integer, String> wrong = new TreeMap<>();
        Map<Integer, PortResult> expected = expected(ipv6);
        assertEquals(expected.keySet(), ours.ports().stream().map(PortResult::port).collect(Collectors.toSet()));
        for (PortResult port : ours.ports()) {
            PortResult want = expected.get(port.port());
            if (port.state() != want.state() || port.reason() != want.reason() || port.reasonTtl() != 0
                    || port.hasRtt() == (want.reason() == Reason.NO_RESPONSE)) {
                wrong.put(port.port(), port + " expected " + want.state() + "/" + want.reason());
            }
        }
        assertTrue(wrong.isEmpty(), "wrong verdicts: " + wrong);

        List<String> nmapArgs = new ArrayList<>(List.of("-sT", "--reason", "--max-retries", "1",
                "--initial-rtt-timeout", "1500ms",
                "--min-rtt-timeout", "1500ms", "--max-rtt-timeout", "1500ms", "-p", LAB_PORTS.toRangeString()));
        if (ipv6) {
            nmapArgs.add("-6");
        }
        nmapArgs.add(address);
        Map<Integer, NmapPort> nmap = NmapRunner.scan(Duration.ofSeconds(120), nmapArgs.toArray(String[]::new))
                .onlyHost().tcp();
        Map<Integer, String> differences = new TreeMap<>();
        assertEquals(LAB_PORTS.size(), nmap.size(), "nmap listed every port");
        assertTrue(nmap.values().stream().noneMatch(NmapPort::collapsed),
                "nmap folded ports into <extraports>; scan fewer ports per state");
        for (PortResult port : ours.ports()) {
            NmapPort reference = nmap.get(port.port());
            if (reference == null || reference.state() != port.state() || reference.reason() != port.reason()
                    || reference.reasonTtl() != port.reasonTtl()) {
                differences.put(port.port(), "ours " + port.state() + "/" + port.reason() + ", nmap " + reference);
            }
        }
        assertTrue(differences.isEmpty(), "differs from nmap: " + differences);
        assertTrue(ours.times().isKnown());
        assertFalse(ours.timedOut());
    }

    /** The JDK's real exceptions for ICMP errors, recovered to the errno the kernel set. */
    @Test
    void realExceptionsForIcmpErrors() throws Exception {
        Map<String, SocketErrno> cases = new TreeMap<>();
        cases.put(LAB4 + " 9003", SocketErrno.EHOSTUNREACH);
        cases.put(LAB4 + " 9005", SocketErrno.ENETUNREACH);
        cases.put(LAB4 + " 9006", SocketErrno.ECONNREFUSED);
        cases.put(LAB4 + " 9008", SocketErrno.ENOPROTOOPT);
        cases.put(LAB4 + " 9011", SocketErrno.ENONET);
        cases.put(LAB6 + " 9003", SocketErrno.EHOSTUNREACH);
        cases.put(LAB6 + " 9004", SocketErrno.EACCES);
        cases.put(LAB6 + " 9005", SocketErrno.ENETUNREACH);
        Map<String, Throwable> thrown = new HashMap<>();
        try (Selector selector = Selector.open()) {
            List<SocketChannel> channels = new ArrayList<>();
            try {
                for (String endpoint : cases.keySet()) {
                    String[] parts = endpoint.split(" ");
                    SocketChannel channel = SocketChannel.open();
                    channels.add(channel);
                    channel.configureBlocking(false);
                    try {
                        channel.connect(new InetSocketAddress(InetAddress.getByName(parts[0]), Integer.parseInt(parts[1])));
                        channel.register(selector, SelectionKey.OP_CONNECT, endpoint);
                    } catch (IOException e) {
                        thrown.put(endpoint, e);
                    }
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (thrown.size() < cases.size() && System.nanoTime() < deadline) {
                    selector.select(200);
                    for (SelectionKey key : selector.selectedKeys()) {
                        try {
                            ((SocketChannel) key.channel()).finishConnect();
                            fail(key.attachment() + " connected");
                        } catch (IOException e) {
                            thrown.put((String) key.attachment(), e);
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } finally {
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            }
        }
        Map<String, String> wrong = new TreeMap<>();
        cases.forEach((endpoint, errno) -> {
            Throwable error = thrown.get(endpoint);
            SocketErrno got = error == null ? null : ConnectErrorClassifier.get().classify(error);
            if (got != errno) {
                wrong.put(endpoint, "expected " + errno + ", got " + got + " from " + error);
            }
        });
        assertTrue(wrong.isEmpty(), wrong.toString());
    }

    /** Interrupted mid-scan: returns promptly, with every socket closed. */
    @Test
    void interruptionStopsPromptlyAndClosesEverySocket() throws Exception {
        PortSet dropped = PortSet.range(DROPPED_BLOCK_FIRST, DROPPED_BLOCK_LAST);
        List<Target> targets = List.of(Target.of(InetAddress.getByName(LAB4)),
                Target.of(InetAddress.getByName(LAB6)));
        ScanJob job = ScanJobs.connect(targets, dropped, ScanJobs.fixedTimeout(Duration.ofSeconds(5), 10));
        long descriptorsBefore = FileDescriptorBudget.openDescriptors();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        List<PortResult> decided = new CopyOnWriteArrayList<>();
        Thread scanner = new Thread(() -> {
            try {
                new ConnectPortScanner().scan(job, new ScanObserver() {
                    @Override
                    public void portDecided(Target target, PortResult result) {
                        decided.add(result);
                    }
                });
                outcome.set(new AssertionError("scan finished without being interrupted"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "connect-scan-under-test");
        scanner.start();
        // Wait until connects are in flight towards the lab.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (synSentTowardsLab() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int inFlight = synSentTowardsLab();
        assertTrue(inFlight >= 50, "connects in flight: " + inFlight);
        long interruptedAt = System.nanoTime();
        scanner.interrupt();
        scanner.join(3000);
        double stopSeconds = (System.nanoTime() - interruptedAt) / 1e9;
        assertFalse(scanner.isAlive(), "scan still running 3 s after interrupt");
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(stopSeconds < 1.0, "stopped after " + stopSeconds + " s");
        assertTrue(decided.isEmpty(), "nothing could be decided yet: " + decided.size());
        assertEquals(0, synSentTowardsLab(), "sockets left connecting to the lab");
        long descriptorsAfter = FileDescriptorBudget.openDescriptors();
        assertTrue(descriptorsAfter <= descriptorsBefore + 2,
                "descriptors before " + descriptorsBefore + ", after " + descriptorsAfter);
    }

    /** --packet-trace: the same CONN lines as nmap's, timestamps aside. */
    @Test
    void packetTraceLinesMatchNmaps() throws Exception {
        PortSet ports = PortSet.of(8080, 8082, 9003, 9006);
        List<String> ours = new CopyOnWriteArrayList<>();
        ScanJob job = new ScanJob(List.of(Target.of(InetAddress.getByName(LAB4))), ports,
                ScanType.CONNECT, ScanJobs.fixedTimeout(RTT, 1), true, OptionalInt.empty(), Optional.empty(), true);
        new ConnectPortScanner().scan(job, new ScanObserver() {
            @Override
            public void packetTrace(String line) {
                ours.add(line);
            }
        });
        String nmap = NmapRunner.scanWithOutput(Duration.ofSeconds(120), List.of("-sT", "--packet-trace",
                "--max-retries", "1", "--initial-rtt-timeout", "1500ms", "--min-rtt-timeout", "1500ms",
                "--max-rtt-timeout", "1500ms", "-p", ports.toRangeString(), LAB4)).stdout();
        List<String> theirs = nmap.lines().filter(line -> line.startsWith("CONN ")).toList();
        // One "Operation now in progress" and one outcome per port.
        assertEquals(2 * ports.size(), theirs.size(), nmap);
        assertEquals(withoutTimes(theirs), withoutTimes(ours));
        assertTrue(ours.stream().allMatch(line -> line.matches("CONN \\(\\d+\\.\\d{4}s\\) TCP localhost > .*")));
    }

    private static List<String> withoutTimes(List<String> lines) {
        List<String> stripped = new ArrayList<>();
        for (String line : lines) {
            stripped.add(line.replaceFirst("\\(\\d+\\.\\d+s\\)", "(T)"));
        }
        Collections.sort(stripped);
        return stripped;
    }

    /** Sockets of this machine in SYN_SENT towards the lab's IPv4 or IPv6 address. */
    private static int synSentTowardsLab() throws IOException {
        int count = 0;
        // /proc writes addresses as 32-bit words in host (little-endian) order.
        String lab4 = "020B12C6";
        String lab6 = "B80D0120" + "00001100" + "00000000" + "02000000";
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && "02".equals(fields[3])
                        && (fields[2].startsWith(lab4 + ":") || fields[2].startsWith(lab6 + ":"))) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void noLeftoverNamespacesBesidesOurs() throws Exception {
        assertEquals(List.of(lab.namespace()), NetnsLab.namespaces(PREFIX));
    }
}
