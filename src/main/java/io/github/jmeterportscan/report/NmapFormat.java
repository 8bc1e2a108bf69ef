package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.ScanReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

/**
 * The small text conventions nmap 7.93 shares between its normal, grepable and XML output: its
 * version, ctime(3)-style dates, the quoted command line, compressed port ranges and the
 * two-significant-digit latency. Kept in one place so the three writers cannot drift apart.
 */
final class NmapFormat {
    /** The nmap release whose output we reproduce; parsers read it from headers and XML. */
    static final String NMAP_VERSION = "7.93";
    /** nmap 7.93's {@code xmloutputversion}. */
    static final String XML_OUTPUT_VERSION = "1.05";

    // ctime(3): "Wed Nov  5 09:08:06 2026" -- the day of month is space-padded.
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    // strftime("%Y-%m-%d %H:%M %Z") in the "Starting" banner.
    private static final DateTimeFormatter BANNER =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);
    // strftime("%Y-%m-%d %H:%M:%S %Z") in "Scanned at ... for Ns".
    private static final DateTimeFormatter SCANNED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private NmapFormat() {
    }

    /** The last ctime text made: every sample of a JMeter run prints two, mostly in the same second. */
    private static volatile SecondText lastCtime = new SecondText(Long.MIN_VALUE, ZoneId.of("UTC"), "");

    private record SecondText(long epochSecond, ZoneId zone, String text) {
    }

    static String ctime(long epochMillis, ZoneId zone) {
        long second = Math.floorDiv(epochMillis, 1000L);
        SecondText last = lastCtime;
        if (last.epochSecond() == second && last.zone().equals(zone)) {
            return last.text();
        }
        String text = CTIME.format(at(epochMillis, zone));
        lastCtime = new SecondText(second, zone, text);
        return text;
    }

    static String bannerTime(long epochMillis, ZoneId zone) {
        return BANNER.format(at(epochMillis, zone));
    }

    static String scannedAtTime(long epochMillis, ZoneId zone) {
        return SCANNED_AT.format(at(epochMillis, zone));
    }

    private static ZonedDateTime at(long epochMillis, ZoneId zone) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone);
    }

    /** time_t as nmap writes it: whole seconds, truncated. */
    static long epochSeconds(long epochMillis) {
        return Math.floorDiv(epochMillis, 1000L);
    }

    /** "%.2f" of the scan's elapsed seconds. */
    static String elapsed(ScanReport report) {
        return fixed(Math.max(0.0, report.elapsedSeconds()), 2);
    }

    /**
     * The command line as nmap records it: words joined by spaces; a word holding whitespace is
     * put in double quotes, and '"' and '\' are backslash-escaped in every word.
     */
    static String commandLine(String program, List<String> arguments) {
        return RECENT_COMMAND_LINES.get().quoted(program, arguments);
    }

    /**
     * Each thread's last few command lines: a JMeter thread samples the same few samplers over and
     * over (each sample's request holds a copy of their words), and its -oN header quotes them
     * every time. More than one entry, because a thread that alternates two samplers would miss a
     * single entry on every sample.
     */
    private static final ThreadLocal<RecentCommandLines> RECENT_COMMAND_LINES =
            ThreadLocal.withInitial(RecentCommandLines::new);

    private record QuotedCommandLine(String program, List<String> arguments, String text) {
    }

    /** A few quoted command lines, the oldest replaced first; used by one thread. */
    private static final class RecentCommandLines {
        private static final int SIZE = 8;
        private final QuotedCommandLine[] entries = new QuotedCommandLine[SIZE];
        private int next;

        String quoted(String program, List<String> arguments) {
            for (QuotedCommandLine entry : entries) {
                if (entry != null && entry.program().equals(program) && entry.arguments().equals(arguments)) {
                    return entry.text();
                }
            }
            String text = NmapFormat.quoted(program, arguments);
            // A copy (none when the list is immutable already): a caller's list may change later.
            entries[next] = new QuotedCommandLine(program, List.copyOf(arguments), text);
            next = (next + 1) % SIZE;
            return text;
        }
    }

    private static String quoted(String program, List<String> arguments) {
        StringBuilder out = new StringBuilder(quote(program));
        for (String argument : arguments) {
            out.append(' ').append(quote(argument));
        }
        return out.toString();
    }

    private static String quote(String word) {
        StringBuilder out = new StringBuilder(word.length() + 2);
        boolean space = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            // C isspace(): space, \t, \n, \v, \f, \r
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                space = true;
            }
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return space ? '"' + out.toString() + '"' : out.toString();
    }

    /** Ascending ports as "1-630,632-1024". */
    static String rangeList(IntStream ascendingPorts) {
        StringBuilder out = new StringBuilder();
        PrimitiveIterator.OfInt it = ascendingPorts.iterator();
        if (!it.hasNext()) {
            return "";
        }
        int start = it.nextInt();
        int end = start;
        while (true) {
            boolean more = it.hasNext();
            int next = more ? it.nextInt() : -1;
            if (more && next == end + 1) {
                end = next;
                continue;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(start);
            if (end != start) {
                out.append('-').append(end);
            }
            if (!more) {
                return out.toString();
            }
            start = next;
            end = next;
        }
    }

    /**
     * A number rounded to {@code digits} significant digits and printed with just enough decimals,
     * as in "Host is up (0.0000050s latency)".
     */
    static String significantDigits(double value, int digits) {
        int shift;
        double rounded = value;
        if (value == 0.0) {
            shift = -digits;
        } else {
            shift = (int) Math.floor(Math.log10(Math.abs(value))) - digits + 1;
            rounded = Math.floor(value / Math.pow(10.0, shift) + 0.5) * Math.pow(10.0, shift);
        }
        return fixed(rounded, Math.max(0, -shift));
    }

    /**
     * C's printf("%.Nf"), which nmap uses: the exact binary value rounded to N decimals, an exact
     * tie to the even digit (so 1.005, stored as 1.00499999999999989..., prints "1.00" and 0.125
     * prints "0.12", where Java's Formatter, rounding the shortest decimal half up, prints "1.01"
     * and "0.13"). Spelled out because every JMeter sample prints two of these, and formatting
     * through BigDecimal costs more than the rest of the report: for the values a report holds
     * (below 2^52 once scaled), one product and its exact error (fma) decide the rounding.
     */
    static String fixed(double value, int decimals) {
        if (value < 0 || (value == 0 && 1 / value < 0)) {
            return "-" + fixed(-value, decimals);
        }
        if (decimals >= POWERS_OF_TEN.length || !(value * POWERS_OF_TEN[decimals] < 0x1p52)) {
            return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        }
        double scale = POWERS_OF_TEN[decimals];
        double product = value * scale;
        // value * scale == product + error exactly; floor and the half are exact below 2^52.
        double error = Math.fma(value, scale, -product);
        double whole = Math.floor(product);
        double aboveHalf = (product - whole - 0.5) + error;
        long units = (long) whole;
        if (aboveHalf > 0 || (aboveHalf == 0 && (units & 1) == 1)) {
            units++;
        }
        return withDecimalPoint(units, decimals);
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    /** {@code units} / 10^decimals in plain decimal notation, at least one digit before the point. */
    private static String withDecimalPoint(long units, int decimals) {
        String digits = Long.toString(units);
        if (decimals == 0) {
            return digits;
        }
        StringBuilder out = new StringBuilder(decimals + 3);
        int integerDigits = digits.length() - decimals;
        if (integerDigits <= 0) {
            out.append("0.");
            for (int i = integerDigits; i < 0; i++) {
                out.append('0');
            }
            return out.append(digits).toString();
        }
        return out.append(digits, 0, integerDigits).append('.').append(digits, integerDigits, digits.length())
                .toString();
    }

    /** "1 IP address (1 host up)" / "2 IP addresses (0 hosts up)". */
    static String hostCounts(int scanned, int up) {
        return scanned + (scanned == 1 ? " IP address" : " IP addresses") + " (" + up
                + (up == 1 ? " host" : " hosts") + " up)";
    }
}
