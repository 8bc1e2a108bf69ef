package io.github.jmeterportscan.spec;

import static io.github.jmeterportscan.testsupport.Fuzz.damaged;
import static io.github.jmeterportscan.testsupport.Fuzz.resultOr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.jmeterportscan.testsupport.Fuzz;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of nmap's time values ({@link TimeSpec}) and timing options ({@link TimingOptions},
 * {@link TimingTemplate}): any text gives a value or nmap's error, never another exception; a
 * number with a unit is that many milliseconds; whatever options are given, in whatever order,
 * the built timing keeps min RTT &lt;= initial RTT &lt;= max RTT, as nmap's setters do.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimingPropertyTest {
    private static final String ALPHABET = "0123456789.eE+-msShHinfa ";
    private static final List<String> UNITS = List.of("", "ms", "s", "m", "h", "MS", "S", "M", "H");

    /** Time values as nmap's users write them: a number (integer, decimal, exponent) and a unit. */
    static Gen<String> timeValues() {
        Gen<String> integer = longs().between(0, 100_000).map((Long n) -> Long.toString(n));
        Gen<String> decimal = integers().between(0, 9999).zip(integers().between(0, 999),
                (whole, fraction) -> whole + "." + fraction);
        Gen<String> exponent = integers().between(1, 9).zip(integers().between(-3, 25), (m, e) -> m + "e" + e);
        Gen<String> odd = Generate.pick(List.of("-1", "-0", "inf", "nan", "infinity", "1e999", "0x10", " 5", ".",
                "", "-5ms", "9223372036854775807ms", "1e16h"));
        Gen<String> number = Generate.frequency(List.of(Pair.of(6, integer), Pair.of(3, decimal),
                Pair.of(2, exponent), Pair.of(1, odd)));
        return number.zip(Generate.pick(UNITS), String::concat);
    }

    @Test
    void anyTimeTextGivesMillisecondsOrInvalid() {
        Fuzz.qt().forAll(Generate.oneOf(Fuzz.anyText(20), damaged(timeValues(), ALPHABET))).checkAssert(text -> {
            long ms = TimeSpec.toMillis(text);
            TimeSpec.hasUnit(text);
            assertTrue(ms >= TimeSpec.INVALID || !text.isEmpty() && text.strip().startsWith("-"),
                    () -> text + " gave " + ms);
        });
    }

    /**
     * "N unit" is N times the unit in milliseconds; a bare number means seconds. Like nmap, which
     * turns every value into seconds first ("1001ms" is 1.001 s, then 1000.99.. ms, then 1000), a
     * value in milliseconds may come out one below.
     */
    @Test
    void integersWithUnitsAreTheirMilliseconds() {
        Fuzz.qt().forAll(longs().between(0, 1_000_000), Generate.pick(UNITS)).checkAssert((n, unit) -> {
            long factor = switch (unit.toLowerCase(Locale.ROOT)) {
                case "ms" -> 1;
                case "", "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            long ms = TimeSpec.toMillis(n + unit);
            if (factor == 1) {
                assertTrue(ms == n || ms == n - 1, () -> n + unit + " gave " + ms);
            } else {
                assertEquals(n * factor, ms, n + unit);
            }
            assertEquals(!unit.isEmpty(), TimeSpec.hasUnit(n + unit), n + unit);
        });
    }

    /** The value nmap 7.93 itself reports for "1001ms" (its -d timing report says 1000). */
    @Test
    void millisecondsGoThroughSecondsAsInNmap() {
        assertEquals(1000, TimeSpec.toMillis("1001ms"));
        assertEquals(1002, TimeSpec.toMillis("1003ms"));
        assertEquals(290, TimeSpec.toMillis("0.29"));
    }

    @Test
    void decimalsAreTruncatedMilliseconds() {
        Fuzz.qt().forAll(integers().between(0, 99_999), integers().between(0, 999)).checkAssert((whole, fraction) -> {
            String text = whole + "." + String.format("%03d", fraction) + "s";
            long expected = new BigDecimal(whole + "." + String.format("%03d", fraction)).movePointRight(3)
                    .longValueExact();
            long ms = TimeSpec.toMillis(text);
            // Binary doubles may land one below a decimal millisecond (0.29 s is 289.99... ms), as in nmap.
            assertTrue(ms == expected || ms == expected - 1, () -> text + " gave " + ms);
        });
    }

    /** One timing option as nmap's command line gives it: which one, and its value. */
    record Setting(String option, String value) {
        void applyTo(TimingOptions t) throws ScanSpecException {
            switch (option) {
                case "T" -> t.applyTemplate(TimingTemplate.parse(value));
                case "max-retries" -> t.maxRetries(value);
                case "host-timeout" -> t.hostTimeout(value);
                case "scan-delay" -> t.scanDelay(value);
                case "max-scan-delay" -> t.maxScanDelay(value);
                case "initial-rtt-timeout" -> t.initialRttTimeout(value);
                case "min-rtt-timeout" -> t.minRttTimeout(value);
                case "max-rtt-timeout" -> t.maxRttTimeout(value);
                case "min-rate" -> t.minRate(value);
                case "max-rate" -> t.maxRate(value);
                default -> throw new IllegalArgumentException(option);
            }
        }
    }

    static final List<String> OPTIONS = List.of("T", "max-retries", "host-timeout", "scan-delay", "max-scan-delay",
            "initial-rtt-timeout", "min-rtt-timeout", "max-rtt-timeout", "min-rate", "max-rate");

    static Gen<Setting> settings() {
        Gen<String> template = Generate.pick(List.of("0", "1", "2", "3", "4", "5", "paranoid", "Insane", "aggressive",
                "11", "6", "", "4x", "normal", "polite", "sneaky"));
        Gen<String> retries = Generate.pick(List.of("0", "1", "2", "10", "-1", "abc", "2x", "99999999999"));
        Gen<String> rate = Generate.pick(List.of("1", "0.5", "100", "1e6", "0", "-3", "x", "nan", "inf", "3.4e39"));
        return Generate.pick(OPTIONS).flatMap(option -> switch (option) {
            case "T" -> template.map((String v) -> new Setting(option, v));
            case "max-retries" -> retries.map((String v) -> new Setting(option, v));
            case "min-rate", "max-rate" -> rate.map((String v) -> new Setting(option, v));
            default -> damaged(timeValues(), ALPHABET).map((String v) -> new Setting(option, v));
        });
    }

    @Test
    void anyOptionsBuildAConsistentTimingOrTheTypedError() {
        Fuzz.qt().forAll(lists().of(settings()).ofSizeBetween(1, 8)).checkAssert(list -> {
            TimingOptions options = new TimingOptions();
            for (Setting s : list) {
                resultOr(ScanSpecException.class, () -> {
                    s.applyTo(options);
                    return s;
                });
            }
            options.build();
            resultOr(ScanSpecException.class, options::buildChecked).ifPresent(timing -> {
                assertTrue(timing.minRtt().compareTo(timing.initialRtt()) <= 0, () -> list + " gave " + timing);
                assertTrue(timing.initialRtt().compareTo(timing.maxRtt()) <= 0, () -> list + " gave " + timing);
                for (Duration d : List.of(timing.minRtt(), timing.scanDelay(), timing.maxScanDelay(),
                        timing.hostTimeout())) {
                    assertTrue(!d.isNegative(), () -> list + " gave " + timing);
                }
                assertTrue(timing.maxRetries() >= 0 && timing.minRate() >= 0 && timing.maxRate() >= 0,
                        () -> list + " gave " + timing);
            });
        });
    }

    @Test
    void anyTextForAnyOptionGivesAValueOrTheTypedError() {
        Fuzz.qt().forAll(Generate.pick(OPTIONS), Fuzz.anyText(20)).checkAssert((option, text) ->
                resultOr(ScanSpecException.class, () -> {
                    TimingOptions options = new TimingOptions();
                    new Setting(option, text).applyTo(options);
                    return options.buildChecked();
                }));
    }
}
