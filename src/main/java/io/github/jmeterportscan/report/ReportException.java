package io.github.jmeterportscan.report;

/** A report could not be written: an output file cannot be opened or written. */
public class ReportException extends Exception {
    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
