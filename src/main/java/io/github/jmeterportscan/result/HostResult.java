package io.github.jmeterportscan.result;

import io.github.jmeterportscan.spec.Target;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All port verdicts for one host, sorted by port.
 *
 * @param target         the host
 * @param ports          one entry per scanned port, ascending
 * @param startEpochMillis when scanning this host began
 * @param endEpochMillis when it ended
 * @param timedOut       true when --host-timeout cut the scan short (ports then are incomplete)
 * @param times          RTT statistics for XML output
 */
public record HostResult(
        Target target,
        List<PortResult> ports,
        long startEpochMillis,
        long endEpochMillis,
        boolean timedOut,
        HostTimes times) {

    public HostResult {
        Objects.requireNonNull(target, "target");
        ports = List.copyOf(ports);
        Objects.requireNonNull(times, "times");
    }

    public Map<PortState, Integer> countByState() {
        Map<PortState, Integer> counts = new EnumMap<>(PortState.class);
        for (PortResult port : ports) {
            counts.merge(port.state(), 1, Integer::sum);
        }
        return counts;
    }
}
