package io.github.jmeterportscan.trace;

/** A packet trace or capture file could not be written; the message says which and why. */
public final class TraceException extends Exception {
    private static final long serialVersionUID = 1L;

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }

    public TraceException(String message) {
        super(message);
    }
}
