package io.github.jmeterportscan.result;

import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import java.util.List;
import java.util.Objects;

/**
 * What is known of a scan when it starts, before any host is done: enough for the opening lines
 * of every output format, which are written then.
 *
 * @param request          what the user asked for
 * @param scanType         the method used
 * @param notes            things the user must be told, printed after the opening line
 * @param startEpochMillis scan start
 * @param hostCount        how many hosts are to be scanned
 */
public record ScanHeader(ScanRequest request, ScanType scanType, List<String> notes, long startEpochMillis,
        int hostCount) {
    public ScanHeader {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(scanType, "scanType");
        notes = List.copyOf(notes);
    }
}
