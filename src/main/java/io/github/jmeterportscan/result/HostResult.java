package io.github.jmeterportscan.result;

import io.github.jmeterportscan.spec.Target;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * All port verdicts for one host, sorted by port.
 *
 * @param target         the host
 * @param ports          one entry per scanned port, ascending
 * @param startEpochMillis when scanning this host began
 * @param endEpochMillis when it ended
 * @param timedOut       true when --host-timeout cut the scan short (ports then are incomplete)
 * @param times          RTT statistics for XML output
 * @param macAddress     the host's Ethernet address ("02:00:7C:8E:9C:02") when a raw scan reached
 *                       it on the local segment, as nmap reports it
 * @param interrupted    true when the scan stopped before this host was finished: {@code ports}
 *                       then holds only the ports decided by then
 * @param status         up or down and why, as host discovery (or -Pn) decided
 */
public record HostResult(
        Target target,
        List<PortResult> ports,
        long startEpochMillis,
        long endEpochMillis,
        boolean timedOut,
        HostTimes times,
        Optional<String> macAddress,
        boolean interrupted,
        HostStatus status) {

    public HostResult {
        Objects.requireNonNull(target, "target");
        // PortResults is immutable already; copying a million verdicts into objects is what it avoids.
        ports = ports instanceof PortResults ? ports : List.copyOf(ports);
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(macAddress, "macAddress");
        Objects.requireNonNull(status, "status");
    }

    /** A host taken as up without discovery (-Pn). */
    public HostResult(Target target, List<PortResult> ports, long startEpochMillis, long endEpochMillis,
            boolean timedOut, HostTimes times, Optional<String> macAddress, boolean interrupted) {
        this(target, ports, startEpochMillis, endEpochMillis, timedOut, times, macAddress, interrupted,
                HostStatus.USER_SET);
    }

    /** A host that host discovery found, with no port scanned (yet): -sn, or a host found down. */
    public static HostResult discovered(Target target, HostStatus status, HostTimes times,
            Optional<String> macAddress, long startEpochMillis, long endEpochMillis) {
        return new HostResult(target, List.of(), startEpochMillis, endEpochMillis, false, times, macAddress, false,
                status);
    }

    /**
     * This host's scan with the status discovery gave it, and discovery's MAC address and round
     * trip times where the scan had none (a host whose ports all stayed silent is still timed by
     * its discovery answer, as nmap reports it).
     */
    public HostResult withStatus(HostStatus newStatus, Optional<String> discoveredMac, HostTimes discoveredTimes) {
        return new HostResult(target, ports, startEpochMillis, endEpochMillis, timedOut,
                times.isKnown() ? times : discoveredTimes, macAddress.isPresent() ? macAddress : discoveredMac,
                interrupted, newStatus);
    }

    public boolean up() {
        return status.up();
    }

    /** A host whose scan finished. */
    public HostResult(Target target, List<PortResult> ports, long startEpochMillis, long endEpochMillis,
            boolean timedOut, HostTimes times, Optional<String> macAddress) {
        this(target, ports, startEpochMillis, endEpochMillis, timedOut, times, macAddress, false);
    }

    /** A host reached without knowing its hardware address (connect scans, routed targets). */
    public HostResult(Target target, List<PortResult> ports, long startEpochMillis, long endEpochMillis,
            boolean timedOut, HostTimes times) {
        this(target, ports, startEpochMillis, endEpochMillis, timedOut, times, Optional.empty(), false);
    }

    public Map<PortState, Integer> countByState() {
        Map<PortState, Integer> counts = new EnumMap<>(PortState.class);
        for (PortResult port : ports) {
            counts.merge(port.state(), 1, Integer::sum);
        }
        return counts;
    }
}
