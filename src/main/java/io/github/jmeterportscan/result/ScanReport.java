package io.github.jmeterportscan.result;

import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a whole scan: what was asked, how it was actually done, and every host's ports.
 *
 * @param request          what the user asked for
 * @param scanType         the method actually used (connect when SYN was impossible)
 * @param notes            things the user must be told, e.g. why we fell back to a connect scan
 * @param hosts            one result per target, in the order scanned
 * @param startEpochMillis scan start
 * @param endEpochMillis   scan end
 */
public record ScanReport(
        ScanRequest request,
        ScanType scanType,
        List<String> notes,
        List<HostResult> hosts,
        long startEpochMillis,
        long endEpochMillis) {

    public ScanReport {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(scanType, "scanType");
        notes = List.copyOf(notes);
        hosts = List.copyOf(hosts);
    }

    public double elapsedSeconds() {
        return (endEpochMillis - startEpochMillis) / 1000.0;
    }
}
