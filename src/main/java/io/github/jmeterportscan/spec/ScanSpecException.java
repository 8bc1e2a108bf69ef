package io.github.jmeterportscan.spec;

/**
 * The user asked for something we cannot do: a malformed port list, an unknown option, an
 * unresolvable target. The message is written for the user (nmap's wording where nmap has one).
 */
public class ScanSpecException extends Exception {
    public ScanSpecException(String message) {
        super(message);
    }
}
