package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.ScanReport;
import java.io.IOException;

/** Writes a finished scan in one of nmap's output formats. */
public interface ReportWriter {
    /**
     * Writes the whole report.
     *
     * @param report the scan to write
     * @param out    where to write; not closed, not flushed
     * @throws IOException when {@code out} fails
     */
    void write(ScanReport report, Appendable out) throws IOException;

    /** The report as one string (for tests, logs and JMeter response bodies). */
    default String toString(ScanReport report) {
        return appendTo(report, new StringBuilder()).toString();
    }

    /** Appends the whole report to {@code out} (which cannot fail) and returns it. */
    default StringBuilder appendTo(ScanReport report, StringBuilder out) {
        try {
            write(report, out);
        } catch (IOException e) {
            throw new IllegalStateException("StringBuilder cannot fail", e);
        }
        return out;
    }
}
