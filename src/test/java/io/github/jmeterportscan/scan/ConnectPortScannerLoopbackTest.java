package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect scans of 127.0.0.1 and ::1 against listeners the test opens. The machine is shared, so
 * ports other than ours are judged by the kernel's listener tables read before and after the scan;
 * ports whose listener came or went meanwhile are not judged.
 */
class ConnectPortScannerLoopbackTest {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectPortScannerLoopbackTest.class);
    private final List<ServerSocket> servers = new ArrayList<>();

    @AfterEach
    void closeServers() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
    }

    private int listen(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0), 50);
        servers.add(server);
        return server.getLocalPort();
    }

    @Test
    void ipv4AndIpv6LoopbackRangesAroundOurListeners() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        Set<Integer> ours4 = new TreeSet<>(List.of(listen(v4), listen(v4), listen(v4)));
        Set<Integer> ours6 = new TreeSet<>(List.of(listen(v6), listen(v6)));
        // Each listener with a few ports either side (most of them closed), in one job per family.
        PortSet ports4 = around(ours4);
        PortSet ports6 = around(ours6).union(PortSet.of(ours4.stream().mapToInt(Integer::intValue).toArray()));

        Map<Integer, PortResult> decided = new ConcurrentHashMap<>();
        ScanObserver observer = new ScanObserver() {
            @Override
            public void portDecided(Target target, PortResult result) {
                if (target.isIpv6()) {
                    decided.put(result.port(), result);
                }
            }
        };
        LoopbackListeners before4 = LoopbackListeners.on(v4);
        LoopbackListeners before6 = LoopbackListeners.on(v6);
        List<HostResult> results4 = new ConnectPortScanner().scan(
                ScanJobs.connect(List.of(Target.of(v4)), ports4, ScanJobs.t4()), ScanObserver.NONE);
        List<HostResult> results6 = new ConnectPortScanner().scan(
                ScanJobs.connect(List.of(Target.of(v6)), ports6, ScanJobs.t4()), observer);
        LoopbackListeners after4 = LoopbackListeners.on(v4);
        LoopbackListeners after6 = LoopbackListeners.on(v6);

        assertExact(results4.get(0), ports4, before4, after4, ours4);
        assertExact(results6.get(0), ports6, before6, after6, ours6);
        // The IPv4 listeners are not on ::1 (they were bound to 127.0.0.1 only).
        for (int port : ours4) {
            assertEquals(PortState.CLOSED, stateOf(results6.get(0), port), "::1 port " + port);
        }
        // Closed with SO_LINGER 0: a reset, so no TIME_WAIT on either side of our open ports.
        Set<Integer> ours = new TreeSet<>(ours4);
        ours.addAll(ours6);
        assertEquals(List.of(), timeWaitInvolving(ours));
        // The observer saw every final verdict.
        assertEquals(ports6.size(), decided.size());
        for (PortResult port : results6.get(0).ports()) {
            assertEquals(port, decided.get(port.port()));
        }
    }

    @Test
    void severalTargetsAtOnceComeBackInJobOrder() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        InetAddress v6 = InetAddress.getByName("::1");
        int port = listen(v4);
        PortSet ports = around(Set.of(port));
        List<Target> targets = List.of(Target.of(v6), Target.of(v4), Target.of(other));
        List<HostResult> results = new ConnectPortScanner().scan(
                ScanJobs.connect(targets, ports, ScanJobs.t4()), ScanObserver.NONE);
        assertEquals(targets, results.stream().map(HostResult::target).toList());
        assertEquals(PortState.OPEN, stateOf(results.get(1), port));
        // Bound to 127.0.0.1 only: refused on the other two addresses.
        assertEquals(PortState.CLOSED, stateOf(results.get(0), port));
        assertEquals(PortState.CLOSED, stateOf(results.get(2), port));
        for (HostResult host : results) {
            assertEquals(ports.size(), host.ports().size());
            assertTrue(host.endEpochMillis() >= host.startEpochMillis());
        }
    }

    @Test
    void fullPortRangeOfIpv4Loopback() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        Set<Integer> ours = new TreeSet<>(List.of(listen(v4), listen(v4)));
        PortSet all = PortSet.range(1, 65535);
        LoopbackListeners before = LoopbackListeners.on(v4);
        long start = System.nanoTime();
        HostResult result = new ConnectPortScanner().scan(
                ScanJobs.connect(List.of(Target.of(v4)), all, ScanJobs.t4()), ScanObserver.NONE).get(0);
        double seconds = (System.nanoTime() - start) / 1e9;
        LoopbackListeners after = LoopbackListeners.on(v4);
        LOG.info("connect scan of 127.0.0.1 -p1-65535: {} s, {}", String.format("%.2f", seconds),
                result.countByState());
        System.out.printf("FIGURE connect -p- 127.0.0.1: %.2f s %s%n", seconds, result.countByState());

        assertExact(result, all, before, after, ours);
        assertFalse(result.timedOut());
        assertTrue(result.times().isKnown(), "RTT estimator was fed");
    }

    /** TIME_WAIT sockets (state 06 in /proc/net/tcp*) with one of {@code ports} at either end. */
    private static List<String> timeWaitInvolving(Set<Integer> ports) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && "06".equals(fields[3])) {
                    int local = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16);
                    int remote = Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16);
                    if (ports.contains(local) || ports.contains(remote)) {
                        found.add(line.trim());
                    }
                }
            }
        }
        return found;
    }

    private static PortSet around(Set<Integer> ports) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int port : ports) {
            for (int p = Math.max(1, port - 5); p <= Math.min(65535, port + 5); p++) {
                set.add(p);
            }
        }
        return PortSet.of(set.stream().mapToInt(Integer::intValue).toArray());
    }

    private static PortState stateOf(HostResult host, int port) {
        return host.ports().stream().filter(p -> p.port() == port).findFirst().orElseThrow().state();
    }

    /**
     * Every port listed once, ascending; open/syn-ack exactly where a listener existed before and
     * after, closed/conn-refused where none existed at either time; reason TTL 0 and an RTT.
     */
    private static void assertExact(HostResult host, PortSet scanned, LoopbackListeners before,
                                    LoopbackListeners after, Set<Integer> ours) {
        assertEquals(scanned.size(), host.ports().size());
        int previous = -1;
        Map<Integer, String> wrong = new TreeMap<>();
        int judged = 0;
        for (PortResult port : host.ports()) {
            assertTrue(port.port() > previous, "ascending");
            previous = port.port();
            assertTrue(scanned.contains(port.port()));
            int p = port.port();
            boolean listening = before.definite().contains(p) && after.definite().contains(p);
            boolean silent = !before.definite().contains(p) && !after.definite().contains(p)
                    && !before.ambiguous().contains(p) && !after.ambiguous().contains(p);
            if (ours.contains(p)) {
                listening = true;
            } else if (!listening && !silent) {
                continue;
            }
            judged++;
            PortState expectedState = listening ? PortState.OPEN : PortState.CLOSED;
            Reason expectedReason = listening ? Reason.SYN_ACK : Reason.CONN_REFUSED;
            if (port.state() != expectedState || port.reason() != expectedReason
                    || port.reasonTtl() != 0 || !port.hasRtt()) {
                wrong.put(p, port.toString());
            }
        }
        assertTrue(wrong.isEmpty(), "unexpected verdicts: " + wrong);
        assertTrue(judged >= scanned.size() - 50, "too few ports judged: " + judged);
        for (int port : ours) {
            assertEquals(PortState.OPEN, stateOf(host, port));
        }
    }
}
