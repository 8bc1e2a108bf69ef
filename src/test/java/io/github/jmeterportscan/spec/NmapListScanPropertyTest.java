package io.github.jmeterportscan.spec;

import static io.github.jmeterportscan.testsupport.Fuzz.joined;
import static io.github.jmeterportscan.testsupport.Fuzz.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.jmeterportscan.testsupport.Fuzz;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generated target and exclude expressions against nmap 7.93's list scan ({@code nmap -n -sL},
 * which sends no packet): the same hosts in the same order, the same messages, and the same error
 * when nmap refuses an exclude. Every expression is numeric (octet ranges, CIDR blocks, IPv6
 * literals, malformed masks), so nmap never asks a name server.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NmapListScanPropertyTest {
    private static final Pattern REPORT = Pattern.compile("^Nmap scan report for (\\S+)", Pattern.MULTILINE);
    /** Each example runs nmap once (~40 ms). */
    private static final int EXAMPLES = 100;

    /** A list scan: targets, one --exclude value (or none), and -6. */
    record ListScan(List<String> targets, String exclude, boolean ipv6) {
        List<String> nmapArguments() {
            List<String> args = new ArrayList<>();
            if (ipv6) {
                args.add("-6");
            }
            args.add("-sL");
            if (!exclude.isEmpty()) {
                args.addAll(List.of("--exclude", exclude));
            }
            args.add("--");
            args.addAll(targets);
            return args;
        }
    }

    /**
     * An octet: a number, a short range or (in targets) a list of them, or (in the last octet) an
     * open or full range. Only forms nmap's own octet parser takes: anything else would go to the
     * resolver, and so to a name server.
     */
    private static Gen<String> octet(boolean last, boolean lists) {
        Gen<String> range = integers().between(0, 254).zip(integers().between(1, 2),
                (a, w) -> a + "-" + Math.min(255, a + w));
        Gen<String> element = Generate.frequency(List.of(Pair.of(3, number(0, 255)), Pair.of(1, range)));
        Gen<String> wide = Generate.pick(List.of("*", "-", "250-", "-3"));
        return Generate.frequency(List.of(Pair.of(8, element), Pair.of(lists ? 2 : 0, joined(element, ",", 2)),
                Pair.of(last ? 1 : 0, wide)));
    }

    /** Masks that keep a block within a few hundred hosts, masks nmap refuses or ignores, and malformed ones. */
    private static Gen<String> mask(int bits) {
        int low = bits == 32 ? 24 : 120;
        return Generate.frequency(List.of(Pair.of(4, Generate.constant("")),
                Pair.of(3, number(low, bits).map((String n) -> "/" + n)),
                Pair.of(1, number(bits + 1, bits + 200).map((String n) -> "/" + n)),
                Pair.of(1, Generate.pick(List.of("/", "/x", "/24x", "/-1")))));
    }

    /** @param lists whether octets may be comma lists (not in --exclude, which nmap splits at commas) */
    private static Gen<String> ipv4(boolean lists) {
        return number(0, 255).zip(number(0, 255), octet(false, lists), octet(true, lists),
                (a, b, c, d) -> a + "." + b + "." + c + "." + d).zip(mask(32), String::concat);
    }

    private static Gen<String> ipv6() {
        Gen<String> literal = lists().of(integers().between(0, 0xffff)).ofSize(3).map((List<Integer> g) ->
                String.format("2001:db8:%x::%x:%x", g.get(0), g.get(1), g.get(2)));
        Gen<String> fixed = Generate.pick(List.of("::1", "::", "2001:db8::", "::ffff:198.18.0.1", "fe80::1"));
        return Generate.frequency(List.of(Pair.of(4, literal), Pair.of(1, fixed))).zip(mask(128), String::concat);
    }

    /**
     * Mostly the family of the scan; now and then a literal of the other one, which nmap reports and
     * skips (an IPv4 literal only: with -6 nmap hands IPv4 text to the resolver).
     */
    private static Gen<String> expression(boolean ipv6) {
        Gen<String> plainIpv4 = lists().of(number(0, 255)).ofSize(4).map((List<String> o) -> String.join(".", o));
        return Generate.frequency(List.of(Pair.of(8, ipv6 ? ipv6() : ipv4(true)),
                Pair.of(1, ipv6 ? plainIpv4 : ipv6())));
    }

    /**
     * Exclude specifications: expressions of the scan's family and now and then a bare mask ("/24"),
     * whose empty name nmap cannot resolve.
     */
    private static Gen<String> exclude(boolean ipv6) {
        Gen<String> expression = ipv6 ? ipv6() : ipv4(false);
        return Generate.frequency(List.of(Pair.of(8, expression), Pair.of(1, mask(ipv6 ? 128 : 32))));
    }

    static Gen<ListScan> listScans() {
        return booleans().all().flatMap(ipv6 -> lists().of(expression(ipv6)).ofSizeBetween(1, 3).zip(
                lists().of(exclude(ipv6)).ofSizeBetween(0, 2),
                (targets, excludes) -> new ListScan(targets, String.join(",", excludes), ipv6)));
    }

    @Test
    void hostsMessagesAndErrorsMatchNmapsListScan() {
        NmapProcess.requireNmap();
        // Each shrinking step runs nmap too: a few hundred steps find a small case in seconds.
        Fuzz.qt(EXAMPLES).withShrinkCycles(300).forAll(listScans()).checkAssert(scan -> {
            NmapProcess.Output nmap = NmapProcess.run(scan.nmapArguments());
            // Our side reads the same words (but -sL, which is no port scan) through the command line.
            List<String> words = new ArrayList<>(scan.nmapArguments());
            words.remove("-sL");
            words.add(0, "-n");
            TargetExpansion ours;
            try {
                ours = new TargetExpander().expand(NmapCommandLine.parse(words.toArray(String[]::new)));
            } catch (ScanSpecException e) {
                assertEquals(nmap.exitCode() == 0 ? "(nmap accepted it)" : nmap.errorLines().get(0), e.getMessage(),
                        scan::toString);
                return;
            }
            if (nmap.exitCode() != 0) {
                fail(scan + ": nmap refused it (" + nmap.errorLines() + "), we expanded " + ours.targets().size());
            }
            List<String> hosts = new ArrayList<>();
            Matcher m = REPORT.matcher(nmap.stdout());
            while (m.find()) {
                hosts.add(m.group(1));
            }
            assertEquals(hosts, ours.targets().stream().map(Target::addressString).toList(), scan::toString);
            List<String> messages = new ArrayList<>(nmap.errorLines());
            messages.remove(TargetExpansion.NO_TARGETS_WARNING);
            // nmap prints the failure of a last expression that follows hosts twice (it reads that
            // expression again when its host group ends); the lines themselves must be ours.
            assertEquals(messages.stream().distinct().toList(), ours.messages().stream().distinct().toList(),
                    scan::toString);
        });
    }
}
