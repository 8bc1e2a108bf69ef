package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.link.ConnectedBroadcasts;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.Scope;
import io.github.jmeterportscan.spec.Target;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guard's verdicts without the network: scopes, the addresses that are never scanned, and the
 * engine refusing a job the guard has not admitted before any scanner sees it.
 */
class TargetGuardTest {
    private static final TargetGuard NO_CONNECTED_NETWORKS = new TargetGuard(Map::of);

    private static Target target(String literal) throws Exception {
        if (literal.startsWith("::ffff:")) {
            // Java reads ::ffff:a.b.c.d as IPv4; a -6 target keeps it IPv6, as nmap does.
            byte[] v4 = InetAddress.getByName(literal.substring(7)).getAddress();
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4, 0, mapped, 12, 4);
            return Target.of(Inet6Address.getByAddress(null, mapped, -1));
        }
        return Target.of(InetAddress.getByName(literal)); // literals only: no lookup
    }

    private static List<Target> targets(String... literals) throws Exception {
        List<Target> out = new ArrayList<>();
        for (String literal : literals) {
            out.add(target(literal));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0| the unspecified address",
        "::| the unspecified address",
        "255.255.255.255| the limited broadcast address",
        "224.0.0.0| a multicast address (224.0.0.0/4)",
        "224.0.0.1| a multicast address (224.0.0.0/4)",
        "239.255.255.255| a multicast address (224.0.0.0/4)",
        "ff02::1| a multicast address (ff00::/8)",
        "ff0e::1234| a multicast address (ff00::/8)",
        "::ffff:224.0.0.1| a multicast address (224.0.0.0/4)",
        "::ffff:255.255.255.255| the limited broadcast address",
        "::ffff:0.0.0.0| the unspecified address",
    })
    void addressesThatAreNoHostAreNeverScanned(String literal, String what) throws Exception {
        // Whatever the scope: even one that names the address itself.
        Target t = target(literal);
        Scope all = Scope.parse("0.0.0.0/0,::/0", "--scope");
        TargetGuard.Admission verdict = NO_CONNECTED_NETWORKS.admit(List.of(all), List.of(t, target("127.0.0.1")));
        assertEquals(List.of(target("127.0.0.1")), verdict.admitted());
        assertEquals(List.of(new TargetGuard.Refusal(t, "is " + what)), verdict.notHosts());
        assertEquals(List.of("WARNING: " + t.addressString() + " is " + what + "; not scanned"), verdict.warnings());
        assertTrue(verdict.refusal().isEmpty(), "the other targets are scanned");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"223.255.255.255", "240.0.0.1", "254.255.255.255", "0.0.0.1", "::2", "fe02::1", "::ffff:198.18.0.1"})
    void theirNeighboursAreHosts(String literal) throws Exception {
        TargetGuard.Admission verdict = NO_CONNECTED_NETWORKS.admit(List.of(), targets(literal));
        assertEquals(targets(literal), verdict.admitted());
    }

    @Test
    void aConnectedNetworksBroadcastAddressIsNoHost() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        InetAddress broadcast = InetAddress.getByName("198.18.7.255");
        TargetGuard guard = new TargetGuard(() -> {
            reads.incrementAndGet();
            return Map.of(broadcast, "the broadcast address of 198.18.7.0/24 on x0");
        });
        TargetGuard.Admission verdict = guard.admit(List.of(),
                targets("198.18.7.1", "198.18.7.255", "::ffff:198.18.7.255", "198.18.8.255"));
        assertEquals(targets("198.18.7.1", "198.18.8.255"), verdict.admitted());
        assertEquals(List.of("WARNING: 198.18.7.255 is the broadcast address of 198.18.7.0/24 on x0; not scanned",
                "WARNING: ::ffff:198.18.7.255 is the broadcast address of 198.18.7.0/24 on x0; not scanned"),
                verdict.warnings());
        assertEquals(1, reads.get(), "the interfaces are read once per admission, not per target");

        guard.admit(List.of(), targets("::1", "2001:db8::1"));
        assertEquals(1, reads.get(), "no IPv4 target: no need to read them");
    }

    @Test
    void loopbacksBroadcastAddressIsKnownFromTheRealInterface() throws Exception {
        // lo carries 127.0.0.1/8 without a broadcast address; the kernel routes 127.255.255.255 as one.
        Map<InetAddress, String> broadcasts = ConnectedBroadcasts.read();
        assertEquals("the broadcast address of 127.0.0.0/8 on lo",
                broadcasts.get(InetAddress.getByName("127.255.255.255")), broadcasts.toString());
        assertFalse(broadcasts.containsKey(InetAddress.getByName("127.0.0.1")));
        TargetGuard.Admission verdict = new TargetGuard(ConnectedBroadcasts::read).admit(List.of(),
                targets("127.255.255.255", "127.255.255.254"));
        assertEquals(targets("127.255.255.254"), verdict.admitted());
    }

    @Test
    void aTargetOutsideAnyScopeRefusesTheScanNamingTheAddressAndTheRule() throws Exception {
        Scope cli = Scope.parse("198.18.0.0/24,::1", "--scope");
        Scope engine = Scope.parse("198.18.0.0/28", "portscan.scope");
        TargetGuard.Admission one = NO_CONNECTED_NETWORKS.admit(List.of(cli), targets("198.18.0.1", "198.18.5.9"));
        assertEquals(targets("198.18.0.1"), one.admitted());
        assertEquals("198.18.5.9 is outside the scope 198.18.0.0/24,::1 (--scope); not scanned",
                one.refusal().orElseThrow().getMessage());

        TargetGuard.Admission many = NO_CONNECTED_NETWORKS.admit(List.of(cli, engine),
                targets("198.18.0.1", "198.18.0.20", "198.18.1.1", "::2"));
        assertEquals(3, many.outsideScope().size());
        assertEquals("198.18.0.20 is outside the scope 198.18.0.0/28 (portscan.scope); not scanned"
                + " (2 more targets are outside the scope)", many.refusal().orElseThrow().getMessage());
        assertEquals("198.18.1.1 is outside the scope 198.18.0.0/24,::1 (--scope); not scanned",
                many.outsideScope().get(1).message(), "each refusal names the scope that excludes it");
    }

    @Test
    void theScopeIsJudgedBeforeTheAddressClasses() throws Exception {
        // 224.0.0.1 outside the scope is a set-up mistake (the scan is refused), not a warning.
        TargetGuard.Admission verdict = NO_CONNECTED_NETWORKS.admit(List.of(Scope.parse("127.0.0.1", "--scope")),
                targets("127.0.0.1", "224.0.0.1"));
        assertEquals("224.0.0.1 is outside the scope 127.0.0.1 (--scope); not scanned",
                verdict.refusal().orElseThrow().getMessage());
        assertTrue(verdict.notHosts().isEmpty());
    }

    @Test
    void noTargetLeftRefusesTheScan() throws Exception {
        TargetGuard.Admission verdict = NO_CONNECTED_NETWORKS.admit(List.of(), targets("224.0.0.1", "0.0.0.0"));
        assertTrue(verdict.admitted().isEmpty());
        assertEquals("224.0.0.1 is a multicast address (224.0.0.0/4); not scanned; 0.0.0.0 is the unspecified address;"
                + " not scanned", verdict.refusal().orElseThrow().getMessage());
        assertTrue(NO_CONNECTED_NETWORKS.admit(List.of(), List.of()).refusal().isEmpty(), "no targets: nothing to refuse");
    }

    /** A scanner that records that it was called: the engine must refuse before it. */
    private static final class CallCounter implements PortScanner {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public List<io.github.jmeterportscan.result.HostResult> scan(ScanJob job, ScanObserver observer) {
            calls.incrementAndGet();
            return List.of();
        }
    }

    @Test
    void theEngineRefusesAJobTheGuardDoesNotAdmitBeforeAnyScannerSeesIt() throws Exception {
        CallCounter raw = new CallCounter();
        CallCounter connect = new CallCounter();
        ScanEngine engine = new ScanEngine(raw, connect, java.util.Optional::empty, NO_CONNECTED_NETWORKS);
        ScanRequest scoped = NmapCommandLine.parse("-sT", "-p", "80", "--scope", "127.0.0.1", "127.0.0.1");
        OutOfScopeException outside = assertThrows(OutOfScopeException.class,
                () -> engine.run(scoped, targets("127.0.0.1", "127.0.0.2"), List.of(), ScanObserver.NONE));
        assertEquals("127.0.0.2 is outside the scope 127.0.0.1 (--scope); not scanned", outside.getMessage());
        ScanRequest open = NmapCommandLine.parse("-sS", "-p", "80", "127.0.0.1");
        OutOfScopeException notHost = assertThrows(OutOfScopeException.class,
                () -> engine.run(open, targets("127.0.0.1", "255.255.255.255"), List.of(), ScanObserver.NONE));
        assertEquals("255.255.255.255 is the limited broadcast address; not scanned", notHost.getMessage());
        assertEquals(0, raw.calls.get() + connect.calls.get());

        ScanReport report = engine.run(scoped, targets("127.0.0.1"), List.of(), ScanObserver.NONE);
        assertEquals(1, connect.calls.get(), "an admitted job runs: " + report);
    }
}
