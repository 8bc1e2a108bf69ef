package io.github.jmeterportscan.result;

import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a whole scan: what was asked, how it was actually done, and every host's ports.
 * An interrupted scan's report holds the hosts whose scan had begun, each as far as it got.
 *
 * @param request          what the user asked for
 * @param scanType         the method actually used (connect when SYN was impossible)
 * @param notes            things the user must be told, e.g. why we fell back to a connect scan
 * @param hosts            one result per target, in the order scanned
 * @param startEpochMillis scan start
 * @param endEpochMillis   scan end
 * @param interruption     what stopped the scan before it finished ("SIGINT"), in words that
 *                         follow "interrupted by"; empty when the scan finished
 */
public record ScanReport(
        ScanRequest request,
        ScanType scanType,
        List<String> notes,
        List<HostResult> hosts,
        long startEpochMillis,
        long endEpochMillis,
        Optional<String> interruption) {

    public ScanReport {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(scanType, "scanType");
        notes = List.copyOf(notes);
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(interruption, "interruption");
    }

    /** A finished scan. */
    public ScanReport(ScanRequest request, ScanType scanType, List<String> notes, List<HostResult> hosts,
            long startEpochMillis, long endEpochMillis) {
        this(request, scanType, notes, hosts, startEpochMillis, endEpochMillis, Optional.empty());
    }

    /** This report as the scan of one that {@code cause} interrupted ("SIGINT"). */
    public ScanReport interruptedBy(String cause) {
        return new ScanReport(request, scanType, notes, hosts, startEpochMillis, endEpochMillis,
                Optional.of(cause));
    }

    /** The part known when the scan started. */
    public ScanHeader header() {
        return new ScanHeader(request, scanType, notes, startEpochMillis, hosts.size());
    }

    public double elapsedSeconds() {
        return (endEpochMillis - startEpochMillis) / 1000.0;
    }
}
