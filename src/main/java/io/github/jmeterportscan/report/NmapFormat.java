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
     * printf's "%.Nf": the shortest decimal that reads back as {@code value} (what Formatter starts
     * from too), rounded half up. Spelled out because String.format parses its pattern on every
     * call, and a JMeter sample renders these for every scan.
     */
    static String fixed(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /** "1 IP address (1 host up)" / "2 IP addresses (0 hosts up)". */
    static String hostCounts(int scanned, int up) {
        return scanned + (scanned == 1 ? " IP address" : " IP addresses") + " (" + up
                + (up == 1 ? " host" : " hosts") + " up)";
    }
}
