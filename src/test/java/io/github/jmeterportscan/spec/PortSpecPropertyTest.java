package io.github.jmeterportscan.spec;

import static io.github.jmeterportscan.testsupport.Fuzz.damaged;
import static io.github.jmeterportscan.testsupport.Fuzz.joined;
import static io.github.jmeterportscan.testsupport.Fuzz.number;
import static io.github.jmeterportscan.testsupport.Fuzz.resultOr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.jmeterportscan.testsupport.Fuzz;
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
 * Properties of the -p grammar ({@link PortSpecParser}) over generated input: any text gets a
 * port set or a {@link ScanSpecException}; grammar-shaped lists parse to exactly the ports a
 * simple model of the grammar names, and a parsed set read back from its own range notation is
 * the same set.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PortSpecPropertyTest {
    /** The characters the grammar gives a meaning to, and a few it does not. */
    static final String ALPHABET = "0123456789-,:[]*?TUSPhtpsfx \t";

    private final PortSpecParser parser = new PortSpecParser(ServiceTable.system());

    /** One range in the forms nmap reads: "a", "a-b", "-b", "a-" and "-". */
    record Range(Integer low, Integer high, boolean single) {
        String spec() {
            if (single) {
                return String.valueOf(low);
            }
            return (low == null ? "" : low.toString()) + "-" + (high == null ? "" : high.toString());
        }

        /** An open start means port 1 (port 0 only when written), an open end 65535. */
        int first() {
            return low == null ? 1 : low;
        }

        int last() {
            return single ? low : high == null ? PortSet.MAX_PORT : high;
        }
    }

    static Gen<Range> ranges() {
        Gen<Integer> port = Generate.frequency(List.of(
                Pair.of(3, integers().between(0, 1024)),
                Pair.of(2, integers().between(0, PortSet.MAX_PORT)),
                Pair.of(1, integers().between(PortSet.MAX_PORT - 5, PortSet.MAX_PORT))));
        Gen<Range> single = port.map(p -> new Range(p, null, true));
        Gen<Range> closed = port.zip(integers().between(0, 300), (low, width) ->
                new Range(low, Math.min(PortSet.MAX_PORT, low + width), false));
        Gen<Range> openStart = port.map(p -> new Range(null, Math.max(1, p), false));
        Gen<Range> openEnd = integers().between(60_000, PortSet.MAX_PORT).map(p -> new Range(p, null, false));
        Gen<Range> all = Generate.constant(new Range(null, null, false));
        return Generate.frequency(List.of(
                Pair.of(5, single), Pair.of(5, closed),
                Pair.of(1, openStart), Pair.of(1, openEnd),
                Pair.of(1, all)));
    }

    /** Items of the grammar beyond plain ranges: other protocols, names, globs, brackets, bad numbers. */
    static Gen<String> portSpecs() {
        Gen<String> range = ranges().map((Range r) -> r.spec());
        Gen<String> names = Generate.pick(List.of("http", "ssh", "ftp", "domain", "https", "telnet", "http*",
                "ft?", "*ssh*", "?", "*", "h*p", "nosuchservice", "x*"));
        Gen<String> outOfRange = number(PortSet.MAX_PORT + 1, 999_999);
        Gen<String> simple = Generate.frequency(List.of(Pair.of(20, range), Pair.of(4, names), Pair.of(1, outOfRange)));
        Gen<String> protocol = Generate.pick(List.of("", "", "", "", "", "", "", "", "T:", "U:", "S:"));
        Gen<String> prefixed = Generate.frequency(List.of(
                Pair.of(20, protocol.zip(simple, String::concat)),
                Pair.of(1, number(0, 300).map((String p) -> "P:" + p))));
        Gen<String> bracketed = joined(prefixed, ",", 3).map(list -> "[" + list + "]");
        Gen<String> item = Generate.frequency(List.of(
                Pair.of(8, prefixed), Pair.of(1, bracketed)));
        Gen<String> separator = Generate.pick(List.of(",", ",", ",", ", ", " ,"));
        return lists().of(item.zip(separator, String::concat)).ofSizeBetween(1, 6)
                .map(parts -> String.join("", parts));
    }

    @Test
    void anyTextGivesPortsOrTheTypedError() {
        Fuzz.qt().forAll(Fuzz.anyText(40)).checkAssert(text -> resultOr(ScanSpecException.class,
                () -> parser.parse(text)));
    }

    @Test
    void damagedPortListsGivePortsOrTheTypedError() {
        Fuzz.qt().forAll(damaged(portSpecs(), ALPHABET)).checkAssert(spec -> {
            Optional<PortSpecParser.Result> result = resultOr(ScanSpecException.class, () -> parser.parse(spec));
            result.ifPresent(r -> assertTrue(!r.tcp().isEmpty() || r.otherProtocolPorts() > 0,
                    "a parse without an error names ports: " + spec));
        });
    }

    /** The set's own notation ("22,80,100-200") is a -p value that gives the same set, silently. */
    @Test
    void aParsedSetReadsBackFromItsRangeNotation() {
        Fuzz.qt().forAll(portSpecs()).checkAssert(spec -> {
            Optional<PortSpecParser.Result> result = resultOr(ScanSpecException.class, () -> parser.parse(spec));
            if (result.isEmpty() || result.get().tcp().isEmpty()) {
                return;
            }
            PortSet ports = result.get().tcp();
            assertTrue(ports.stream().allMatch(p -> p >= 0 && p <= PortSet.MAX_PORT), spec);
            PortSpecParser.Result again = resultOr(ScanSpecException.class,
                    () -> parser.parse(ports.toRangeString())).orElseThrow();
            assertEquals(ports, again.tcp(), spec);
            assertEquals(List.of(), again.warnings(), spec);
        });
    }

    /** Plain TCP ranges parse to exactly their union; a port named twice brings nmap's warning. */
    @Test
    void plainRangesParseToTheirUnion() {
        Fuzz.qt().forAll(lists().of(ranges()).ofSizeBetween(1, 8)).checkAssert(list -> {
            String spec = String.join(",", list.stream().map(Range::spec).toList());
            BitSet expected = new BitSet();
            boolean overlap = false;
            for (Range r : list) {
                BitSet these = new BitSet();
                these.set(r.first(), r.last() + 1);
                overlap |= expected.intersects(these);
                expected.or(these);
            }
            PortSpecParser.Result result = resultOr(ScanSpecException.class, () -> parser.parse(spec))
                    .orElseThrow(() -> new AssertionError("refused: " + spec));
            assertEquals(PortSet.fromBits(expected), result.tcp(), spec);
            assertEquals(overlap ? 1 : 0, result.warnings().size(), spec);
        });
    }

    /** "b-a" with b above a is refused with nmap's hint, whatever the numbers. */
    @Test
    void backwardsRangesAreRefusedWithAHint() {
        Gen<int[]> lowAndHigh = integers().between(0, PortSet.MAX_PORT - 1).flatMap(low ->
                integers().between(low + 1, PortSet.MAX_PORT).map((Integer high) -> new int[] {low, high}));
        Fuzz.qt().forAll(lowAndHigh).checkAssert(pair -> {
            String spec = pair[1] + "-" + pair[0];
            try {
                parser.parse(spec);
                throw new AssertionError("accepted " + spec);
            } catch (ScanSpecException e) {
                assertEquals("Your port range " + spec + " is backwards. Did you mean " + pair[0] + "-" + pair[1]
                        + "?", e.getMessage());
            }
        });
    }
}
