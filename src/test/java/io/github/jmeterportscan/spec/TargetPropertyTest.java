package io.github.jmeterportscan.spec;

import static io.github.jmeterportscan.testsupport.Fuzz.damaged;
import static io.github.jmeterportscan.testsupport.Fuzz.joined;
import static io.github.jmeterportscan.testsupport.Fuzz.number;
import static io.github.jmeterportscan.testsupport.Fuzz.resultOr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.jmeterportscan.testsupport.Fuzz;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of target and exclude expressions ({@link TargetExpander}, {@link Ipv4Ranges},
 * {@link Ipv6Block}, {@link AddressLiterals}, {@link ExcludeList}): any text gives hosts or a
 * {@link ScanSpecException}, never more hosts than the cap and never a block expanded into memory
 * before it is counted; CIDR blocks and octet ranges give exactly the addresses they name.
 * Names resolve through the test hosts file only (no DNS).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TargetPropertyTest {
    /** Small enough that a property may expand anything it is given within its time. */
    private static final int CAP = 4096;
    private static final String ALPHABET = "0123456789abcdef.:-,*/%[]xlo ";

    private final TargetExpander expander = new TargetExpander(HostResolver.SYSTEM, CAP);

    /** One octet: mostly a number or a short range, sometimes open ends, '*' or a number above 255. */
    static Gen<String> octet() {
        Gen<String> range = integers().between(0, 255).zip(integers().between(0, 3),
                (a, width) -> a + "-" + Math.min(255, a + width));
        Gen<String> odd = Generate.pick(List.of("-", "-2", "254-", "0-", "*", "256", "99999", "9-8", ""));
        Gen<String> element = Generate.frequency(List.of(Pair.of(12, number(0, 255)), Pair.of(3, range),
                Pair.of(1, odd)));
        return Generate.frequency(List.of(Pair.of(5, element), Pair.of(1, joined(element, ",", 3))));
    }

    /** No mask, a mask that keeps blocks small, any mask, or a malformed one. */
    static Gen<String> mask(int maxBits) {
        return Generate.frequency(List.of(
                Pair.of(4, Generate.constant("")),
                Pair.of(3, number(maxBits > 32 ? 120 : 24, maxBits > 32 ? 128 : 32).map((String n) -> "/" + n)),
                Pair.of(1, number(0, maxBits + 12).map((String n) -> "/" + n)),
                Pair.of(1, Generate.pick(List.of("/", "/-1", "/x", "/99999999999999999999", "/ 8", "//8")))));
    }

    static Gen<String> ipv4Expressions() {
        return lists().of(octet()).ofSize(4).map((List<String> o) -> String.join(".", o)).zip(mask(32), String::concat);
    }

    static Gen<byte[]> bytes(int n) {
        return lists().of(integers().between(0, 255)).ofSize(n).map((List<Integer> l) -> {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
    }

    static Gen<String> ipv6Expressions() {
        Gen<String> literal = bytes(16).map((byte[] b) -> address(b).getHostAddress());
        Gen<String> fixed = Generate.pick(List.of("::", "::1", "fe80::1%lo", "fe80::1%1", "::ffff:198.18.1.2",
                "2001:db8::", "1:2:3:4:5:6:7:8", "::1%", "1::2::3", "12345::"));
        Gen<String> zone = Generate.pick(List.of("", "", "", "%lo", "%1", "%0", "%nosuch"));
        return Generate.frequency(List.of(Pair.of(3, literal), Pair.of(1, fixed))).zip(zone, String::concat)
                .zip(mask(128), String::concat);
    }

    static Gen<String> names() {
        return Generate.pick(List.of("localhost", "lab4.test", "lab6.test", "nosuch.test", "-", "", "LOCALHOST",
                "a.b", "1.2.3", "0x7f.1"))
                .zip(mask(128), String::concat);
    }

    static Gen<String> expressions() {
        return damaged(Generate.frequency(List.of(Pair.of(4, ipv4Expressions()), Pair.of(3, ipv6Expressions()),
                Pair.of(1, names()))), ALPHABET);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<TargetExpansion> expand(List<String> targets, List<String> excludes, boolean ipv6) {
        Optional<TargetExpansion> result = resultOr(ScanSpecException.class,
                () -> expander.expand(targets, excludes, ipv6, 0));
        result.ifPresent(expansion -> {
            assertTrue(expansion.targets().size() <= CAP, "more hosts than the cap");
            for (Target t : expansion.targets()) {
                assertEquals(ipv6, t.address() instanceof Inet6Address, () -> "family of " + t);
            }
        });
        return result;
    }

    @Test
    void anyTextGivesHostsOrTheTypedError() {
        Fuzz.qt().forAll(Fuzz.anyText(30), booleans().all()).checkAssert((text, ipv6) -> {
            expand(List.of(text), List.of(), ipv6);
            expand(List.of("127.0.0.1"), List.of(text), ipv6);
        });
    }

    @Test
    void damagedExpressionsGiveHostsOrTheTypedError() {
        Fuzz.qt().forAll(lists().of(expressions()).ofSizeBetween(1, 3), lists().of(expressions()).ofSizeBetween(0, 2),
                booleans().all()).checkAssert((targets, excludes, ipv6) -> expand(targets, excludes, ipv6));
    }

    @Test
    void addressLiteralsNeverThrow() {
        Fuzz.qt().forAll(Generate.oneOf(Fuzz.anyText(30), expressions())).checkAssert(text -> {
            AddressLiterals.ipv6(text);
            AddressLiterals.ipv4(text);
        });
    }

    /** A block of up to 4096 addresses: exactly its addresses, in ascending order from the network address. */
    @Test
    void ipv4BlocksExpandToTheirAddresses() {
        Fuzz.qt().forAll(bytes(4), integers().between(20, 32)).checkAssert((raw, bits) -> {
            String expression = address(raw).getHostAddress() + "/" + bits;
            List<Target> targets = expand(List.of(expression), List.of(), false).orElseThrow().targets();
            long first = (toLong(raw) >>> (32 - bits)) << (32 - bits);
            assertEquals(1 << (32 - bits), targets.size(), expression);
            for (int i = 0; i < targets.size(); i++) {
                assertEquals(first + i, toLong(targets.get(i).address().getAddress()), expression);
            }
        });
    }

    @Test
    void ipv6BlocksExpandToTheirAddresses() {
        Fuzz.qt().forAll(bytes(16), integers().between(116, 128)).checkAssert((raw, bits) -> {
            String expression = address(raw).getHostAddress() + "/" + bits;
            List<Target> targets = expand(List.of(expression), List.of(), true).orElseThrow().targets();
            BigInteger first = new BigInteger(1, raw).shiftRight(128 - bits).shiftLeft(128 - bits);
            assertEquals(1 << (128 - bits), targets.size(), expression);
            for (int i = 0; i < targets.size(); i++) {
                assertEquals(first.add(BigInteger.valueOf(i)), new BigInteger(1, targets.get(i).address().getAddress()),
                        expression);
            }
        });
    }

    /** Octet lists give the product of their sets, each address built from one value per octet. */
    @Test
    void octetRangesGiveEveryCombination() {
        Gen<List<Integer>> values = lists().of(integers().between(0, 255)).ofSizeBetween(1, 4);
        Fuzz.qt().forAll(lists().of(values).ofSize(4)).checkAssert(octets -> {
            List<BitSet> sets = new ArrayList<>();
            List<String> spelled = new ArrayList<>();
            long product = 1;
            for (List<Integer> octet : octets) {
                BitSet set = new BitSet();
                octet.forEach(set::set);
                sets.add(set);
                product *= set.cardinality();
                spelled.add(String.join(",", octet.stream().map(String::valueOf).toList()));
            }
            String expression = String.join(".", spelled);
            List<Target> targets = expand(List.of(expression), List.of(), false).orElseThrow().targets();
            assertEquals(product, targets.size(), expression);
            long previous = -1;
            for (Target t : targets) {
                byte[] a = t.address().getAddress();
                for (int i = 0; i < 4; i++) {
                    assertTrue(sets.get(i).get(a[i] & 0xff), expression + " gave " + t);
                }
                assertTrue(toLong(a) > previous, "ascending: " + expression);
                previous = toLong(a);
            }
        });
    }

    /** Blocks larger than the cap are refused before any address is made, however large. */
    @Test
    void hugeBlocksAreRefusedNotExpanded() {
        TargetExpander standard = new TargetExpander();
        Fuzz.qt(300).forAll(bytes(16), integers().between(0, 107), integers().between(0, 11)).checkAssert(
                (raw, v6Bits, v4Bits) -> {
                    String v6 = address(raw).getHostAddress() + "/" + v6Bits;
                    String v4 = address(new byte[] {raw[0], raw[1], raw[2], raw[3]}).getHostAddress() + "/" + v4Bits;
                    assertTooMany(() -> standard.expand(List.of(v6), List.of(), true, 0));
                    assertTooMany(() -> standard.expand(List.of(v4), List.of(), false, 0));
                    assertTooMany(() -> standard.expand(List.of("*.*.*.*"), List.of(), false, 0));
                });
    }

    private static void assertTooMany(Fuzz.Attempt<TargetExpansion> attempt) {
        Optional<TargetExpansion> result = resultOr(ScanSpecException.class, attempt);
        assertFalse(result.isPresent(), "a block above the cap was expanded");
    }

    /** An excluded block leaves exactly the rest of a target block. */
    @Test
    void excludedAddressesAreLeftOut() {
        Fuzz.qt().forAll(bytes(4), integers().between(22, 32), integers().between(22, 32))
                .checkAssert((raw, bits, excludedBits) -> {
                    String block = address(raw).getHostAddress() + "/" + bits;
                    String exclude = address(raw).getHostAddress() + "/" + excludedBits;
                    List<Target> all = expand(List.of(block), List.of(), false).orElseThrow().targets();
                    List<Target> rest = expand(List.of(block), List.of(exclude), false).orElseThrow().targets();
                    long excludedFirst = (toLong(raw) >>> (32 - excludedBits)) << (32 - excludedBits);
                    long excludedLast = excludedFirst + (1L << (32 - excludedBits)) - 1;
                    List<Target> expected = all.stream().filter(t -> {
                        long a = toLong(t.address().getAddress());
                        return a < excludedFirst || a > excludedLast;
                    }).toList();
                    assertEquals(expected, rest, block + " --exclude " + exclude);
                });
    }

    /**
     * Found by the list-scan property: an empty exclude specification ("--exclude ,198.18.0.1", or
     * a bare mask) and a bracketed one are names nmap cannot resolve, so it quits; they excluded
     * the local host's addresses instead (Java resolves "" to it) or ::1 (Java reads "[::1]").
     * A piece after the last comma is ignored, as nmap does.
     */
    @Test
    void excludesNmapCannotResolveAreRefused() throws Exception {
        for (String[] c : new String[][] {{",198.18.0.1", "4"}, {"/24", "4"}, {"198.18.0.2,,198.18.0.3", "4"},
                {"[::1]", "6"}, {"[127.0.0.1]", "4"}}) {
            boolean ipv6 = c[1].equals("6");
            List<String> words = new ArrayList<>(List.of("-n", "--exclude", c[0], ipv6 ? "::1" : "127.0.0.1"));
            if (ipv6) {
                words.add(0, "-6");
            }
            ScanRequest request = NmapCommandLine.parse(words.toArray(String[]::new));
            String name = c[0].startsWith("[") ? c[0] : "";
            String expected = "Error resolving name \"" + name + "\": Name or service not known";
            assertEquals(expected, assertThrows(ScanSpecException.class, () -> expander.expand(request)).getMessage(),
                    c[0]);
        }
        ScanRequest trailingComma = NmapCommandLine.parse("-n", "--exclude", "127.0.0.2,", "127.0.0.1-3");
        assertEquals(List.of("127.0.0.1", "127.0.0.3"),
                expander.expand(trailingComma).targets().stream().map(Target::addressString).toList());
    }

    private static long toLong(byte[] a) {
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    }

    /** Every IPv4 literal reads back as itself. */
    @Test
    void dottedQuadsReadBack() {
        Fuzz.qt().forAll(bytes(4)).checkAssert(raw -> {
            Inet4Address a = (Inet4Address) address(raw);
            assertEquals(Optional.of(a), AddressLiterals.ipv4(a.getHostAddress()));
        });
    }
}
