package io.github.jmeterportscan.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The lines of an nmap-services file, one at a time: blank lines, comments and lines nmap
 * would not take (no port/protocol, a port out of range) are skipped. Fields are separated by
 * C's isspace characters.
 */
final class ServiceLines {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };

    private final byte[] text;
    private int lineEnd = -1;
    private int nameStart;
    private int nameEnd;
    private int port;
    private int protocol;
    private int ratioStart;
    private int ratioEnd;

    ServiceLines(byte[] text) {
        this.text = text;
    }

    /** Moves to the next line with a name and a valid port/protocol field. */
    boolean next() {
        while (lineEnd < text.length) {
            int start = lineEnd + 1;
            lineEnd = start;
            while (lineEnd < text.length && text[lineEnd] != '\n') {
                lineEnd++;
            }
            if (read(start)) {
                return true;
            }
        }
        return false;
    }

    private boolean read(int from) {
        nameStart = skipSpace(from);
        if (nameStart == lineEnd || text[nameStart] == '#') {
            return false;
        }
        nameEnd = skipWord(nameStart);
        int field = skipSpace(nameEnd);
        int fieldEnd = skipWord(field);
        int slash = field;
        while (slash < fieldEnd && text[slash] != '/') {
            slash++;
        }
        if (slash == field || slash == fieldEnd) {
            return false;
        }
        port = portNumber(field, slash);
        if (port < 0) {
            return false;
        }
        protocol = protocolIndex(slash + 1, fieldEnd);
        ratioStart = skipSpace(fieldEnd);
        ratioEnd = skipWord(ratioStart);
        return true;
    }

    /** An optionally signed decimal in [0, 65535] (as Integer.parseInt would read it), or -1. */
    private int portNumber(int from, int to) {
        int i = from;
        boolean negative = text[i] == '-';
        if (text[i] == '+' || negative) {
            i++;
        }
        if (i == to) {
            return -1;
        }
        int value = 0;
        for (; i < to; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || value > PortSet.MAX_PORT) {
                return -1;
            }
            value = value * 10 + digit;
        }
        if (value > PortSet.MAX_PORT || (negative && value != 0)) {
            return -1;
        }
        return value;
    }

    private int protocolIndex(int from, int to) {
        String word = new String(text, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (int p = 0; p < ServiceTable.PROTOCOLS.length; p++) {
            if (ServiceTable.PROTOCOLS[p].equals(word)) {
                return p;
            }
        }
        return -1;
    }

    int port() {
        return port;
    }

    /** Index into {@link ServiceTable#PROTOCOLS}, or -1 for a protocol a TCP scanner has no use for. */
    int protocol() {
        return protocol;
    }

    String name() {
        return new String(text, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
    }

    /** Whether the third field is an open-frequency ratio ("0.001995" or "3/1000"). */
    boolean hasRatio() {
        return ratioEnd > ratioStart && (contains('/') || startsWithZeroPoint());
    }

    /** The line's open frequency; 0 without one. */
    double ratio(String source) throws IOException {
        if (!hasRatio()) {
            return 0;
        }
        double plain = plainFraction();
        if (plain >= 0) {
            return plain;
        }
        String r = new String(text, ratioStart, ratioEnd - ratioStart, StandardCharsets.ISO_8859_1);
        if (contains('/')) {
            String[] nd = r.split("/", 2);
            try {
                return (double) Integer.parseInt(nd[0]) / Integer.parseInt(nd[1]);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IOException(source + " contains invalid port ratio string: " + r);
            }
        }
        return CNumberConversions.strtod(r).value();
    }

    /**
     * The value of a field of the form "0.ddd" with at most 15 digits (nmap's own format), or
     * -1 for any other field: digits / 10^n is then one division of two exact doubles, which
     * rounds exactly as parsing the decimal would.
     */
    private double plainFraction() {
        int digits = ratioEnd - ratioStart - 2;
        if (!startsWithZeroPoint() || digits < 1 || digits > 15) {
            return -1;
        }
        long value = 0;
        for (int i = ratioStart + 2; i < ratioEnd; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value / POWERS_OF_TEN[digits];
    }

    private boolean contains(char c) {
        for (int i = ratioStart; i < ratioEnd; i++) {
            if (text[i] == c) {
                return true;
            }
        }
        return false;
    }

    private boolean startsWithZeroPoint() {
        return ratioEnd - ratioStart >= 2 && text[ratioStart] == '0' && text[ratioStart + 1] == '.';
    }

    private int skipSpace(int i) {
        while (i < lineEnd && isSpace(text[i])) {
            i++;
        }
        return i;
    }

    private int skipWord(int i) {
        while (i < lineEnd && !isSpace(text[i])) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
