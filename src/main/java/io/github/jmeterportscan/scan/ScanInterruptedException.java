package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.ScanReport;

/**
 * The scan stopped because its thread was interrupted; {@link #report()} is the scan as far as
 * it got, for the caller to write out (name the cause with {@link ScanReport#interruptedBy}).
 */
public final class ScanInterruptedException extends InterruptedException {
    private static final long serialVersionUID = 1L;
    /** The cause an interrupted report names until the caller knows better. */
    public static final String THREAD_INTERRUPT = "an interrupt of the scanning thread";

    private final transient ScanReport report;

    public ScanInterruptedException(ScanReport report, InterruptedException cause) {
        super("scan interrupted");
        this.report = report;
        initCause(cause);
    }

    /** The hosts whose scan had begun, each as far as it got; its interruption is set. */
    public ScanReport report() {
        return report;
    }
}
