package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.spec.ScanSpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a one-line option string into words as a POSIX shell would for plain words: blanks
 * separate, single quotes keep everything literally, double quotes keep blanks, and a backslash
 * escapes the next character outside single quotes. No variables, no globbing: JMeter has already
 * substituted its own variables.
 */
final class CommandLineWords {
    private CommandLineWords() {
    }

    static List<String> split(String line) throws ScanSpecException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new ScanSpecException("Unterminated " + quote + " quote in the nmap options: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
