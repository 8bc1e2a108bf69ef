package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import java.io.IOException;
import java.util.List;

/**
 * Writes a scan in one of nmap's output formats, whole or, as nmap does, in the order the scan
 * goes: the opening lines when it starts, each host when it is done, the closing lines at the end.
 * Written in pieces, a format is the same document as written whole.
 */
public interface ReportWriter {
    /**
     * The opening lines, known when the scan starts.
     *
     * @param out where to write; not closed, not flushed
     * @throws IOException when {@code out} fails
     */
    void writeHeader(ScanHeader header, Appendable out) throws IOException;

    /**
     * One host whose scan is done (or was interrupted); nothing for a host the format leaves out
     * (with --open, one without open ports). Hosts are written in target order.
     *
     * @param index the host's position in the target list
     */
    void writeHost(ScanHeader header, int index, HostResult host, Appendable out) throws IOException;

    /** The closing lines: how the scan ended (finished, or what interrupted it), counts and time. */
    void writeFooter(ScanReport report, Appendable out) throws IOException;

    /**
     * Writes the whole report.
     *
     * @param report the scan to write
     * @param out    where to write; not closed, not flushed
     * @throws IOException when {@code out} fails
     */
    default void write(ScanReport report, Appendable out) throws IOException {
        ScanHeader header = report.header();
        writeHeader(header, out);
        List<HostResult> hosts = report.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            writeHost(header, i, hosts.get(i), out);
        }
        writeFooter(report, out);
    }

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
