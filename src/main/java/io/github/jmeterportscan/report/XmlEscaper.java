package io.github.jmeterportscan.report;

/**
 * Escapes text for nmap-style XML attribute values and comments. Like nmap it writes pure ASCII
 * (anything else as a character reference), breaks up "--" so the same text can sit inside a
 * comment, and turns whitespace controls into references so attribute values keep them. Unlike
 * nmap (which writes e.g. {@code &#x1;}, not well-formed XML 1.0) characters that XML 1.0 cannot
 * carry at all are written as visible {@code \xNN} text.
 */
final class XmlEscaper {
    private XmlEscaper() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int previous = -1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '-' -> out.append(previous == '-' ? "&#45;" : "-");
                default -> appendOther(out, c);
            }
            previous = c;
        }
        return out.toString();
    }

    private static void appendOther(StringBuilder out, int c) {
        if (c >= 0x20 && c < 0x7f) {
            out.append((char) c);
        } else if (isXmlChar(c)) {
            out.append("&#x").append(Integer.toHexString(c)).append(';');
        } else if (c <= 0xff) {
            out.append(String.format("\\x%02X", c));
        } else {
            out.append(String.format("\\u%04X", c));
        }
    }

    /** XML 1.0 "Char" production. */
    private static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
