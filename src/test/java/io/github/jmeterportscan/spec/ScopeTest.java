package io.github.jmeterportscan.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scope's grammar (CIDR and bare addresses, IPv4 and IPv6), its messages, and --scope on the command line. */
class ScopeTest {

    private static InetAddress at(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    @Test
    void readsIpv4AndIpv6NetworksAndBareAddresses() throws Exception {
        Scope scope = Scope.parse("198.18.0.0/24, 2001:db8:10::/64,::1 ,198.19.7.7", "--scope");
        assertEquals("198.18.0.0/24,2001:db8:10::/64,::1,198.19.7.7", scope.networkList());
        assertEquals("is outside the scope 198.18.0.0/24,2001:db8:10::/64,::1,198.19.7.7 (--scope)",
                scope.outsideText());
        assertEquals(List.of(new Network(at("198.18.0.0"), 24), new Network(at("2001:db8:10::"), 64),
                new Network(at("::1"), 128), new Network(at("198.19.7.7"), 32)), scope.networks());
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({
        "198.18.0.0, 198.18.0.0/24, true",
        "198.18.0.255, 198.18.0.0/24, true",
        "198.18.1.0, 198.18.0.0/24, false",
        "198.17.255.255, 198.18.0.0/24, false",
        "198.19.255.255, 198.18.0.0/15, true",
        "198.20.0.0, 198.18.0.0/15, false",
        "198.18.0.5, 198.18.0.5, true",
        "198.18.0.6, 198.18.0.5, false",
        "203.0.113.9, 0.0.0.0/0, true",
        "2001:db8:10::ffff, 2001:db8:10::/64, true",
        "2001:db8:10:0:ffff:ffff:ffff:ffff, 2001:db8:10::/64, true",
        "2001:db8:11::, 2001:db8:10::/64, false",
        "2001:db8:10::7f, 2001:db8:10::/121, true",
        "2001:db8:10::80, 2001:db8:10::/121, false",
        "::1, ::1, true",
        "::2, ::1, false",
        "2001:db8::1, ::/0, true",
        // A family never contains the other, even the whole of it.
        "198.18.0.1, ::/0, false",
        "::1, 0.0.0.0/0, false",
        "::ffff:198.18.0.1, 198.18.0.0/24, false",
    })
    void containsExactlyItsNetworks(String address, String scope, boolean inside) throws Exception {
        InetAddress candidate = address.startsWith("::ffff:")
                ? AddressLiterals.ipv6(address).orElseThrow() : at(address);
        assertEquals(inside, Scope.parse(scope, "--scope").contains(candidate), address + " in " + scope);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "''| --scope is empty: list the networks a scan may probe, e.g. 198.18.0.0/24,2001:db8::/64 (a bare address is one host)",
        "'  '| --scope is empty: list the networks a scan may probe, e.g. 198.18.0.0/24,2001:db8::/64 (a bare address is one host)",
        "198.18.0.0/24,,::1| --scope: empty entry in \"198.18.0.0/24,,::1\" (networks are separated by single commas)",
        "198.18.0.0/24,| --scope: empty entry in \"198.18.0.0/24,\" (networks are separated by single commas)",
        "localhost| --scope: \"localhost\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "198.18.0| --scope: \"198.18.0\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "198.18.0.256| --scope: \"198.18.0.256\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "198.18.0.0-5| --scope: \"198.18.0.0-5\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "198.18.0.0 198.19.0.0| --scope: \"198.18.0.0 198.19.0.0\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "[::1]| --scope: \"[::1]\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "2001:db8::g| --scope: \"2001:db8::g\" is not an IPv4 or IPv6 address or CIDR network (names are not taken: the scope must not depend on DNS)",
        "198.18.0.0/33| --scope: \"198.18.0.0/33\" has a bad prefix length: an IPv4 network takes /0 to /32",
        "198.18.0.0/| --scope: \"198.18.0.0/\" has a bad prefix length: an IPv4 network takes /0 to /32",
        "198.18.0.0/-1| --scope: \"198.18.0.0/-1\" has a bad prefix length: an IPv4 network takes /0 to /32",
        "198.18.0.0/24/1| --scope: \"198.18.0.0/24/1\" has a bad prefix length: an IPv4 network takes /0 to /32",
        "2001:db8::/129| --scope: \"2001:db8::/129\" has a bad prefix length: an IPv6 network takes /0 to /128",
        "2001:db8::/0x40| --scope: \"2001:db8::/0x40\" has a bad prefix length: an IPv6 network takes /0 to /128",
        "198.18.0.5/24| --scope: \"198.18.0.5/24\" has host bits set: write the network (198.18.0.0/24) or the one host (198.18.0.5)",
        "2001:db8::1/64| --scope: \"2001:db8::1/64\" has host bits set: write the network (2001:db8::/64) or the one host (2001:db8::1)",
        "fe80::1%eth0| --scope: \"fe80::1%eth0\" names an interface (%): a scope lists networks by address only",
    })
    void refusesBadInputWithAMessageNamingIt(String text, String message) {
        ScanSpecException e = assertThrows(ScanSpecException.class, () -> Scope.parse(text, "--scope"));
        assertEquals(message.strip(), e.getMessage());
    }

    @Test
    void theCommandLineTakesOneScope() throws Exception {
        ScanRequest request = NmapCommandLine.parse("-p", "22", "--scope", "198.18.0.0/24,::1", "198.18.0.1");
        assertEquals(1, request.scopes().size());
        assertEquals("--scope", request.scopes().get(0).origin());
        assertEquals("198.18.0.0/24,::1", request.scopes().get(0).networkList());
        assertEquals(List.of("198.18.0.1"), request.targets(), "its value is not a target");
        assertEquals(request.scopes(), NmapCommandLine.parse("-p", "22", "--scope=198.18.0.0/24,::1", "x").scopes());
        assertEquals(request.scopes(), NmapCommandLine.parse("-p", "22", "-scope", "198.18.0.0/24,::1", "x").scopes());
        assertTrue(NmapCommandLine.parse("-p", "22", "198.18.0.1").scopes().isEmpty(), "unset: no limit");

        assertEquals("Only 1 --scope option allowed, separate multiple networks with commas.",
                assertThrows(ScanSpecException.class, () -> NmapCommandLine.parse("--scope", "198.18.0.0/24",
                        "--scope", "::1", "198.18.0.1")).getMessage());
        assertEquals("--scope: \"198.18.0.1/8\" has host bits set: write the network (198.0.0.0/8) or the one host"
                + " (198.18.0.1)", assertThrows(ScanSpecException.class,
                        () -> NmapCommandLine.parse("--scope", "198.18.0.1/8", "198.18.0.1")).getMessage());
        assertEquals("--scope is empty: list the networks a scan may probe, e.g. 198.18.0.0/24,2001:db8::/64 (a bare"
                + " address is one host)", assertThrows(ScanSpecException.class,
                        () -> NmapCommandLine.parse("--scope", "", "198.18.0.1")).getMessage());
    }

    @Test
    void aLaterScopeNarrowsAndNeverWidens() throws Exception {
        ScanRequest request = NmapCommandLine.parse("-p", "22", "--scope", "0.0.0.0/0", "198.18.0.1")
                .withScope(Scope.parse("198.18.0.0/30", "portscan.scope"));
        assertEquals(List.of("--scope", "portscan.scope"), request.scopes().stream().map(Scope::origin).toList());
        InetAddress outside = at("198.18.0.9");
        assertFalse(request.scopes().stream().allMatch(s -> s.contains(outside)));
        InetAddress inside = at("198.18.0.3");
        assertTrue(request.scopes().stream().allMatch(s -> s.contains(inside)));
        assertEquals(request.scopes(), request.withScanType(ScanType.SYN).scopes(), "the scan type keeps them");
    }
}
