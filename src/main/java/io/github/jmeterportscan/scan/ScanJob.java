package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The resolved work of one scan: concrete hosts and ports, the method chosen and its settings.
 *
 * @param targets        hosts, already expanded and resolved, minus exclusions
 * @param ports          ports to probe on every host
 * @param type           the method (never "auto" here)
 * @param timing         nmap timing values
 * @param randomizePorts probe in random order (nmap's default) rather than ascending (-r)
 * @param sourcePort     fixed source port (-g); otherwise the scanner picks
 * @param interfaceName  interface to send on (-e); otherwise from the routing table
 * @param packetTrace    report SENT/RCVD lines to the observer (--packet-trace)
 */
public record ScanJob(
        List<Target> targets,
        PortSet ports,
        ScanType type,
        Timing timing,
        boolean randomizePorts,
        OptionalInt sourcePort,
        Optional<String> interfaceName,
        boolean packetTrace) {

    public ScanJob {
        targets = List.copyOf(targets);
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(sourcePort, "sourcePort");
        Objects.requireNonNull(interfaceName, "interfaceName");
    }
}
