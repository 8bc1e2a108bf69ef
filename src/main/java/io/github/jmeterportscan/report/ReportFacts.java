package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanRequest;

/** Facts about a report that nmap derives the same way for every output format. */
final class ReportFacts {
    private ReportFacts() {
    }

    /** Hosts that discovery found up (with -Pn: every host). */
    static int hostsUp(ScanReport report) {
        int up = 0;
        for (HostResult host : report.hosts()) {
            if (host.up()) {
                up++;
            }
        }
        return up;
    }

    static int hostsScanned(ScanReport report) {
        return report.hosts().size();
    }

    /** --reason, or implied by -vv. */
    static boolean showReason(ScanRequest request) {
        return request.showReason() || request.verbosity() > 1;
    }

    /**
     * With --open, nmap leaves out hosts where nothing is even possibly open; a host found down is
     * listed only with -v (and without --open).
     */
    static boolean listed(ScanRequest request, HostResult host) {
        if (!host.up()) {
            return request.verbosity() > 0 && !request.openOnly();
        }
        return host.timedOut() || !request.openOnly() || hasOpenPorts(host);
    }

    /** ", received arp-response ttl 64" as nmap appends it to "Host is up" with --reason; "" without. */
    static String receivedReason(ScanRequest request, HostResult host) {
        if (!showReason(request)) {
            return "";
        }
        String ttl = host.status().reasonTtl() != 0 ? " ttl " + host.status().reasonTtl() : "";
        return ", received " + host.status().reason().nmapName() + ttl;
    }

    private static boolean hasOpenPorts(HostResult host) {
        for (PortResult port : host.ports()) {
            PortState state = port.state();
            if (state == PortState.OPEN || state == PortState.OPEN_FILTERED || state == PortState.UNFILTERED) {
                return true;
            }
        }
        return false;
    }

    static PortSummary summary(ScanRequest request, HostResult host) {
        return PortSummary.of(host, request.verbosity(), request.openOnly());
    }

    static String commandLine(ProgramIdentity identity, ScanRequest request) {
        return NmapFormat.commandLine(identity.name(), request.arguments());
    }

    /** Hosts of an interrupted scan whose own scan had not finished. */
    static int hostsIncomplete(ScanReport report) {
        int incomplete = 0;
        for (HostResult host : report.hosts()) {
            if (host.interrupted()) {
                incomplete++;
            }
        }
        return incomplete;
    }

    /** " (1 host incomplete)" after an interrupted scan's counts, or nothing. */
    static String incompleteSuffix(ScanReport report) {
        int incomplete = hostsIncomplete(report);
        if (incomplete == 0) {
            return "";
        }
        return " (" + incomplete + (incomplete == 1 ? " host" : " hosts") + " incomplete)";
    }

    /** What an interrupted host's report says of it: "Scan interrupted with 23 of 1000 ports decided". */
    static String interruptedHost(ScanRequest request, HostResult host) {
        return "Scan interrupted with " + host.ports().size() + " of " + request.ports().size() + " ports decided";
    }
}
