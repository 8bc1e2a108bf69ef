package io.github.jmeterportscan.spec;

import java.util.List;
import java.util.Optional;

/**
 * What a command line asks for: a scan (with the request), or nmap's -h / -V which print and exit
 * before anything else is checked. {@code warnings} are the lines nmap would print to stderr while
 * reading the options, in order; the caller prints them (e.g. "WARNING: Duplicate port number(s)
 * specified...").
 */
public record ParsedCommandLine(Action action, Optional<ScanRequest> request, List<String> warnings) {
    public enum Action {
        SCAN,
        HELP,
        VERSION
    }

    public ParsedCommandLine {
        warnings = List.copyOf(warnings);
        if (action == Action.SCAN && request.isEmpty()) {
            throw new IllegalArgumentException("a scan needs a request");
        }
    }
}
