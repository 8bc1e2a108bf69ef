package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NmapFormatTest {
    /**
     * nmap prints with C's printf("%.Nf"): the double's exact value, exact ties to even. These are
     * glibc's outputs; Java's Formatter prints 1.01, 0.13 and 2.68 for the first three.
     */
    @Test
    void fixedPrintsWhatCsPrintfPrints() {
        assertEquals("1.00", NmapFormat.fixed(1.005, 2));
        assertEquals("0.12", NmapFormat.fixed(0.125, 2));
        assertEquals("2.67", NmapFormat.fixed(2.675, 2));
        assertEquals("0", NmapFormat.fixed(0.5, 0));
        assertEquals("2", NmapFormat.fixed(1.5, 0));
        assertEquals("2", NmapFormat.fixed(2.5, 0));
        assertEquals("-0.00", NmapFormat.fixed(-0.0, 2));
        assertEquals("0.0449999", NmapFormat.fixed(0.0449999, 7));
        assertEquals("0.04", NmapFormat.fixed(0.0449999, 2));
        assertEquals("0.0000001", NmapFormat.fixed(1e-7, 7));
        assertEquals("123456.79", NmapFormat.fixed(123456.789, 2));
        assertEquals("1000000000000000.25", NmapFormat.fixed(1e15 + 0.3, 2));
    }

    /** The fast path against the exact rounding of the exact value, over the values reports hold. */
    @Test
    void fixedRoundsTheExactValueHalfEven() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 50_000; i++) {
            // Latencies and elapsed times: microseconds to hours, plus already-rounded values.
            double value = Math.pow(10, random.nextDouble(-6, 4)) * random.nextDouble();
            assertExact(value, random.nextInt(0, 10));
            assertExact(Math.round(value * 1000) / 1000.0, random.nextInt(0, 4));
            // Exact ties: k + 1/2 units of the last decimal.
            int decimals = random.nextInt(0, 6);
            assertExact((random.nextInt(0, 100_000) + 0.5) / Math.pow(10, decimals), decimals);
        }
    }

    private static void assertExact(double value, int decimals) {
        assertEquals(new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString(),
                NmapFormat.fixed(value, decimals), "value " + value + " with " + decimals + " decimals");
    }

    @Test
    void significantDigitsAsNmapPrintsLatency() {
        assertEquals("0.000050", NmapFormat.significantDigits(0.0000503, 2));
        assertEquals("0.0012", NmapFormat.significantDigits(0.00123, 2));
        assertEquals("0.13", NmapFormat.significantDigits(0.1251, 2));
        assertEquals("12", NmapFormat.significantDigits(12.4, 2));
        assertEquals("0.00", NmapFormat.significantDigits(0.0, 2));
    }

    /** The quoting nmap records in -oN/-oX, also when one thread alternates between command lines. */
    @Test
    void commandLinesAreQuotedLikeNmapsWhateverTheirOrder() {
        List<String> spaced = List.of("-p", "80", "--exclude", "a b", "x\\\"y");
        List<String> plain = List.of("-p", "443", "127.0.0.1");
        for (int round = 0; round < 3; round++) {
            for (int n = 0; n < 12; n++) {
                List<String> numbered = List.of("-p", Integer.toString(n));
                assertEquals("portscan -p " + n, NmapFormat.commandLine("portscan", numbered));
                assertEquals("portscan -p 80 --exclude \"a b\" x\\\\\\\"y", NmapFormat.commandLine("portscan", spaced));
                assertEquals("nmap -p 443 127.0.0.1", NmapFormat.commandLine("nmap", new ArrayList<>(plain)));
                assertEquals("portscan -p 443 127.0.0.1", NmapFormat.commandLine("portscan", plain));
            }
        }
    }
}
