package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NmapFormatTest {
    /** fixed() replaces String.format("%.Nf") on the hot path; it must print the very same text. */
    @Test
    void fixedPrintsWhatFormatPrints() {
        double[] edges = {0.0, 0.005, 0.015, 0.0449999, 0.045, 1.005, 2.675, 9.995, 99.95, 1e-7, 0.00012,
            123456.789, 0.5, 1.5, 2.5, 1e15 + 0.3};
        for (double value : edges) {
            for (int decimals = 0; decimals <= 7; decimals++) {
                assertFixedAgrees(value, decimals);
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            // Latencies and elapsed times: microseconds to hours, plus already-rounded values.
            double value = Math.pow(10, random.nextDouble(-6, 4)) * random.nextDouble();
            assertFixedAgrees(value, random.nextInt(0, 8));
            assertFixedAgrees(Math.round(value * 1000) / 1000.0, random.nextInt(0, 4));
        }
    }

    @Test
    void significantDigitsAsNmapPrintsLatency() {
        assertEquals("0.000050", NmapFormat.significantDigits(0.0000503, 2));
        assertEquals("0.0012", NmapFormat.significantDigits(0.00123, 2));
        assertEquals("0.13", NmapFormat.significantDigits(0.1251, 2));
        assertEquals("12", NmapFormat.significantDigits(12.4, 2));
        assertEquals("0.00", NmapFormat.significantDigits(0.0, 2));
    }

    private static void assertFixedAgrees(double value, int decimals) {
        assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", value), NmapFormat.fixed(value, decimals),
                "value " + value + " with " + decimals + " decimals");
    }
}
