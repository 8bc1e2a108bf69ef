package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.link.RawAccess;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A full -p- SYN scan of 127.0.0.1 and ::1 with our own listeners must find exactly them. */
class RawLoopbackScanTest {
    private final List<ServerSocket> listeners = new ArrayList<>();

    @BeforeEach
    void requireRawAccess() {
        Privileges.requireRoot("raw SYN scan of loopback");
        Privileges.require(RawAccess.problem().isEmpty(), "raw access: " + RawAccess.problem().orElse(""));
    }

    @AfterEach
    void closeListeners() throws Exception {
        for (ServerSocket listener : listeners) {
            listener.close();
        }
    }

    static Timing aggressive() {
        return new Timing(4, Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(1250), 6,
                Duration.ZERO, Duration.ofMillis(10), Duration.ZERO, 0, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void fullPortSynScanFindsExactlyTheListeners(String literal) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        Set<Integer> open = openListeners(address, 5);
        ScanJob job = new ScanJob(List.of(Target.of(address)), PortSet.range(1, 65535), ScanType.SYN, aggressive(),
                true, OptionalInt.empty(), Optional.empty(), false);
        List<HostResult> results = new RawPortScanner(Links::open).scan(job, ScanObserver.NONE);

        HostResult host = results.get(0);
        assertEquals(65535, host.ports().size(), "one verdict per port");
        Set<Integer> foundOpen = new TreeSet<>();
        for (PortResult port : host.ports()) {
            if (port.state() == PortState.OPEN) {
                foundOpen.add(port.port());
                assertEquals(Reason.SYN_ACK, port.reason());
                assertTrue(port.reasonTtl() > 0, "reply TTL recorded");
            } else {
                assertEquals(PortState.CLOSED, port.state(), "port " + port.port());
                assertEquals(Reason.RESET, port.reason(), "port " + port.port());
            }
        }
        Set<Integer> systemOpen = new TreeSet<>(foundOpen);
        systemOpen.removeAll(open);
        foundOpen.retainAll(open);
        assertEquals(open, foundOpen, "every listener of ours is open");
        // Other open ports belong to services of this machine; they must really be listening.
        for (int port : systemOpen) {
            assertTrue(isListening(address, port) || transientlyAnswered(address, port),
                    "reported open but nothing listens: " + port);
        }
    }

    private Set<Integer> openListeners(InetAddress address, int count) throws Exception {
        Set<Integer> ports = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(address, 0), 50);
            listeners.add(listener);
            ports.add(listener.getLocalPort());
        }
        return ports;
    }

    /**
     * On a busy machine a client socket of another process can sit on an ephemeral port in
     * SYN_SENT; the kernel answers our SYN to it with a SYN-ACK (TCP's simultaneous open), which
     * nmap too reports as open. Such a port is in the ephemeral range and is closed again when
     * scanned a moment later.
     */
    private static boolean transientlyAnswered(InetAddress address, int port) throws Exception {
        if (port < 32768 || port > 60999) {
            return false;
        }
        ScanJob again = new ScanJob(List.of(Target.of(address)), PortSet.of(port), ScanType.SYN, aggressive(), false,
                OptionalInt.empty(), Optional.empty(), false);
        PortResult now = new RawPortScanner(Links::open).scan(again, ScanObserver.NONE).get(0).ports().get(0);
        return now.state() != PortState.OPEN;
    }

    private static boolean isListening(InetAddress address, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
