package io.github.jmeterportscan.spec;

import java.util.Locale;

/**
 * nmap's time values (nbase tval2msecs): a number with an optional unit "ms", "s", "m" or "h"
 * (case-insensitive); a bare number means seconds. Anything else is invalid.
 */
final class TimeSpec {
    /** What nmap's tval2msecs returns for an invalid value. */
    static final long INVALID = -1;

    private TimeSpec() {
    }

    /** Milliseconds, or {@link #INVALID}; like nmap, "-1" is indistinguishable from invalid. */
    static long toMillis(String spec) {
        if (spec.isEmpty()) {
            return INVALID;
        }
        CNumberConversions.DoublePrefix number = CNumberConversions.strtod(spec);
        if (number.outOfRange()) {
            return INVALID;
        }
        String unit = spec.substring(number.end()).toLowerCase(Locale.ROOT);
        double seconds;
        switch (unit) {
            case "ms":
                seconds = number.value() / 1000.0;
                break;
            case "":
            case "s":
                seconds = number.value();
                break;
            case "m":
                seconds = number.value() * 60.0;
                break;
            case "h":
                seconds = number.value() * 3600.0;
                break;
            default:
                return INVALID;
        }
        if (seconds == -1) {
            return INVALID;
        }
        double ms = seconds * 1000.0;
        if (Double.isNaN(ms) || ms > Long.MAX_VALUE || ms < Long.MIN_VALUE) {
            return INVALID;
        }
        return (long) ms;
    }

    /** Whether the value carries an explicit unit (nmap's tval_unit != NULL). */
    static boolean hasUnit(String spec) {
        if (spec.isEmpty()) {
            return false;
        }
        CNumberConversions.DoublePrefix number = CNumberConversions.strtod(spec);
        return !number.outOfRange() && number.end() < spec.length();
    }
}
