package io.github.jmeterportscan.scan;

/**
 * A scan could not run or finish: no privileges, no libpcap, an interface that is gone. The message
 * says what went wrong and what to do about it, in words a user can act on.
 */
public class ScanException extends Exception {
    public ScanException(String message) {
        super(message);
    }

    public ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
