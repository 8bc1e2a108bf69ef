package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.LabExtension;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Privileges;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routes found a routing-table entry at a time equal the kernel's answer for each address: a
 * directly connected /22 (with the local table's own-address and broadcast entries inside it), a
 * routed /21 with a more specific /24 through another gateway and a host route on another link
 * inside it, targets in shuffled order; and with a policy rule in place, where grouping must not
 * be used at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RouteGroupsLabTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of("ps-rgroup-", () -> NetnsLab.builder()
            .subnets("198.18.52.0/24", "2001:db8:52::/64")
            .routeViaNamespace("198.18.56.0/21", "198.18.56.10")
            .extraPair('b', List.of("198.18.48.1/30"), List.of("198.18.48.2/30"))
            .extraPair('c', List.of("198.18.100.1/22"), List.of("198.18.100.2/22")));

    @BeforeAll
    static void requireRoot() {
        Privileges.requireRoot("the lab test adds routes");
    }

    @Test
    void groupedRoutesEqualThePerAddressAnswers() throws Exception {
        NetnsLab lab = LAB.lab();
        String other = lab.hostInterface('b');
        ip("route", "add", "198.18.57.0/24", "via", "198.18.48.2", "dev", other);
        ip("route", "add", "198.18.58.9/32", "dev", other);
        List<InetAddress> targets = new ArrayList<>();
        targets.addAll(block(198, 18, 100, 1024));
        // The connected network's broadcast address is no scan target (the target guard refuses it).
        targets.remove(InetAddress.getByName("198.18.103.255"));
        targets.addAll(block(198, 18, 56, 2048));
        Collections.shuffle(targets, new Random(7));

        assertTrue(RouteGroups.applies(targets, Optional.empty()),
                "the kernel's default routing rules are in place, so grouping applies");
        List<Route> grouped = RouteGroups.lookupAll(targets);
        assertSameRoutes(RouteBatch.lookupEach(targets, Optional.empty()), grouped);
        // The lab really has routes of every kind inside the blocks.
        assertEquals(other, routeTo(grouped, targets, "198.18.57.33").netInterface().name());
        assertEquals(other, routeTo(grouped, targets, "198.18.58.9").netInterface().name());
        assertEquals(Optional.of(InetAddress.getByName("198.18.56.10").getClass()),
                routeTo(grouped, targets, "198.18.59.1").gateway().map(Object::getClass));
        assertTrue(routeTo(grouped, targets, "198.18.100.1").local(), "the host's own address is local");
        assertEquals(lab.hostInterface('c'), routeTo(grouped, targets, "198.18.101.77").netInterface().name());
    }

    @Test
    void aPolicyRuleTurnsGroupingOff() throws Exception {
        List<InetAddress> targets = block(198, 18, 56, 2048);
        ip("rule", "add", "to", "198.18.57.128/25", "lookup", "main", "priority", "1052");
        try {
            assertFalse(RouteGroups.applies(targets, Optional.empty()));
            assertSameRoutes(RouteBatch.lookupEach(targets, Optional.empty()),
                    RouteBatch.lookupAll(targets, Optional.empty()));
        } finally {
            ip("rule", "del", "to", "198.18.57.128/25", "lookup", "main", "priority", "1052");
        }
    }

    private static void assertSameRoutes(List<Route> expected, List<Route> actual) {
        assertEquals(expected.size(), actual.size());
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                differences.add("kernel " + expected.get(i) + " but " + actual.get(i));
            }
        }
        assertEquals(List.of(), differences.subList(0, Math.min(3, differences.size())),
                differences.size() + " of " + expected.size() + " routes differ from the kernel's");
    }

    private static Route routeTo(List<Route> routes, List<InetAddress> targets, String address)
            throws UnknownHostException {
        return routes.get(targets.indexOf(InetAddress.getByName(address)));
    }

    private static List<InetAddress> block(int a, int b, int c, int count) throws UnknownHostException {
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) (c + i / 256), (byte) i}));
        }
        return addresses;
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        Collections.addAll(command, args);
        Commands.Result result = Commands.run(COMMAND_TIMEOUT, command);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
    }
}
