package io.github.jmeterportscan.report;

import java.util.regex.Pattern;

/**
 * Blanks what legitimately differs between two runs over the same results: dates, epoch
 * timestamps and elapsed times (nmap measures those with its own clocks), the stylesheet
 * location and the interactive banner.
 */
final class NmapOutputNormalizer {
    private static final Pattern CTIME = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}");
    private static final Pattern EPOCH_ATTR = Pattern.compile("\\b(start|time|starttime|endtime)=\"\\d+\"");
    private static final Pattern ELAPSED_ATTR = Pattern.compile("elapsed=\"[\\d.]+\"");
    private static final Pattern SCANNED_IN = Pattern.compile("scanned in [\\d.]+ seconds");
    private static final Pattern SCANNED_AT = Pattern.compile("(?m)^Scanned at .* for \\d+s$");
    private static final Pattern STARTING = Pattern.compile("(?m)^Starting .*\\n");
    private static final Pattern STYLESHEET = Pattern.compile("(?m)^<\\?xml-stylesheet .*\\n");
    private static final Pattern OUR_COMMENT = Pattern.compile("(?m)^<!-- written by .*-->\\n");

    private NmapOutputNormalizer() {
    }

    static String normalize(String text) {
        String s = CTIME.matcher(text).replaceAll("<date>");
        s = EPOCH_ATTR.matcher(s).replaceAll("$1=\"<t>\"");
        s = ELAPSED_ATTR.matcher(s).replaceAll("elapsed=\"<e>\"");
        s = SCANNED_IN.matcher(s).replaceAll("scanned in <e> seconds");
        s = SCANNED_AT.matcher(s).replaceAll("Scanned at <date> for <n>s");
        s = STARTING.matcher(s).replaceAll("");
        s = STYLESHEET.matcher(s).replaceAll("");
        return OUR_COMMENT.matcher(s).replaceAll("");
    }
}
