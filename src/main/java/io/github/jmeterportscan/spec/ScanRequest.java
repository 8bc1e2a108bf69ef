package io.github.jmeterportscan.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything one scan needs to know, as parsed from an nmap command line (or set field by field by
 * the JMeter sampler). Immutable; targets are kept as the user wrote them and expanded later, so a
 * request can be built (and validated) without touching the network.
 *
 * @param scanType     the method asked for; empty means "SYN if raw access works, else connect"
 * @param targets      target expressions as given (names, literals, CIDR, octet ranges)
 * @param excludes     target expressions from --exclude
 * @param scopes       the networks the targets must lie in (--scope, the JMeter engine's
 *                     portscan.scope): every target in every scope; none means no limit
 * @param ports        ports to scan, already minus --exclude-ports
 * @param timing       the -T template with individual overrides applied
 * @param ipv6         -6: resolve names to IPv6 and accept IPv6 literals
 * @param sourcePort   -g / --source-port
 * @param interfaceName -e
 * @param randomizePorts false with -r
 * @param resolveNames false with -n (we never do reverse DNS, but keep the flag for output)
 * @param showReason   --reason (also implied by -v in nmap's XML-less output? no: only --reason)
 * @param openOnly     --open
 * @param verbosity    number of -v
 * @param packetTrace  --packet-trace
 * @param outputs      -oN / -oX / -oG files
 * @param arguments    the command line as given, for the XML {@code args} attribute
 * @param discovery    host discovery before the port scan (-Pn, -sn, -PS, ...)
 */
public record ScanRequest(
        Optional<ScanType> scanType,
        List<String> targets,
        List<String> excludes,
        List<Scope> scopes,
        PortSet ports,
        Timing timing,
        boolean ipv6,
        OptionalInt sourcePort,
        Optional<String> interfaceName,
        boolean randomizePorts,
        boolean resolveNames,
        boolean showReason,
        boolean openOnly,
        int verbosity,
        boolean packetTrace,
        OutputFiles outputs,
        List<String> arguments,
        HostDiscovery discovery) {

    /** A request without host discovery (-Pn), as every front end made before discovery existed. */
    public ScanRequest(Optional<ScanType> scanType, List<String> targets, List<String> excludes, List<Scope> scopes,
            PortSet ports, Timing timing, boolean ipv6, OptionalInt sourcePort, Optional<String> interfaceName,
            boolean randomizePorts, boolean resolveNames, boolean showReason, boolean openOnly, int verbosity,
            boolean packetTrace, OutputFiles outputs, List<String> arguments) {
        this(scanType, targets, excludes, scopes, ports, timing, ipv6, sourcePort, interfaceName, randomizePorts,
                resolveNames, showReason, openOnly, verbosity, packetTrace, outputs, arguments, HostDiscovery.SKIP);
    }

    public ScanRequest {
        Objects.requireNonNull(scanType, "scanType");
        targets = List.copyOf(targets);
        excludes = List.copyOf(excludes);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(sourcePort, "sourcePort");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(outputs, "outputs");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(discovery, "discovery");
    }

    /** The same request with another host discovery. */
    public ScanRequest withDiscovery(HostDiscovery newDiscovery) {
        return new ScanRequest(scanType, targets, excludes, scopes, ports, timing, ipv6, sourcePort, interfaceName,
                randomizePorts, resolveNames, showReason, openOnly, verbosity, packetTrace, outputs, arguments,
                newDiscovery);
    }

    /** The same request with the scan method fixed (after "auto" has been decided). */
    public ScanRequest withScanType(ScanType type) {
        return new ScanRequest(Optional.of(type), targets, excludes, scopes, ports, timing, ipv6, sourcePort,
                interfaceName, randomizePorts, resolveNames, showReason, openOnly, verbosity, packetTrace, outputs,
                arguments, discovery);
    }

    /** The same request limited to {@code scope} as well: targets must lie in it and in every scope already set. */
    public ScanRequest withScope(Scope scope) {
        List<Scope> all = new ArrayList<>(scopes);
        all.add(scope);
        return new ScanRequest(scanType, targets, excludes, all, ports, timing, ipv6, sourcePort, interfaceName,
                randomizePorts, resolveNames, showReason, openOnly, verbosity, packetTrace, outputs, arguments, discovery);
    }
}
