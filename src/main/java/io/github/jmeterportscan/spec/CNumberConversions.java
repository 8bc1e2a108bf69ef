package io.github.jmeterportscan.spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The C library number conversions nmap applies to option values (strtol, atoi, strtod, printf's
 * %g). nmap accepts whatever these accept ("--max-retries 2x" is 2), so matching its behaviour
 * means reproducing their prefix rules rather than using Java's strict parsers.
 */
final class CNumberConversions {
    private CNumberConversions() {
    }

    /** A number read from the start of a string and the index just past it (= start when none). */
    record LongPrefix(long value, int end, boolean outOfRange) {
    }

    record DoublePrefix(double value, int end, boolean outOfRange) {
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** strtol(s + from, &end, 10): leading blanks, a sign, digits; clamps on overflow. */
    static LongPrefix strtol(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
            int d = s.charAt(i) - '0';
            if (!overflow) {
                if (value > (Long.MAX_VALUE - d) / 10) {
                    overflow = true;
                } else {
                    value = value * 10 + d;
                }
            }
            i++;
        }
        if (i == digitsStart) {
            return new LongPrefix(0, from, false);
        }
        if (overflow) {
            return new LongPrefix(negative ? Long.MIN_VALUE : Long.MAX_VALUE, i, true);
        }
        return new LongPrefix(negative ? -value : value, i, false);
    }

    /** glibc's atoi: (int) strtol(s, NULL, 10); garbage yields 0. */
    static int atoi(String s) {
        return (int) strtol(s, 0).value();
    }

    /**
     * strtod(s, &end) for decimal notation, "inf"/"infinity" and "nan" (hexadecimal floats are
     * not accepted: nobody writes timing values that way).
     */
    static DoublePrefix strtod(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        int signAt = i;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        String rest = s.substring(i).toLowerCase(Locale.ROOT);
        boolean negative = signAt < n && s.charAt(signAt) == '-';
        if (rest.startsWith("infinity")) {
            return new DoublePrefix(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 8, false);
        }
        if (rest.startsWith("inf")) {
            return new DoublePrefix(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 3, false);
        }
        if (rest.startsWith("nan")) {
            return new DoublePrefix(Double.NaN, i + 3, false);
        }
        int mantissaStart = i;
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return new DoublePrefix(0, 0, false);
        }
        int end = i;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int expDigits = j;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > expDigits) {
                end = j;
            }
        }
        double value = Double.parseDouble(s.substring(mantissaStart, end));
        boolean range = Double.isInfinite(value);
        return new DoublePrefix(negative ? -value : value, end, range);
    }

    /** sscanf(s, "%f", &f) into a C float: 1 conversion or none. */
    static Float scanFloat(String s) {
        DoublePrefix p = strtod(s);
        if (p.end() == 0) {
            return null;
        }
        return (float) p.value();
    }

    /** printf("%g", d): six significant digits, trailing zeros removed. */
    static String formatG(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
            String m = mantissa.toPlainString();
            return m + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** printf("%.1f", d). */
    static String formatFixed1(double d) {
        return new BigDecimal(d).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }
}
