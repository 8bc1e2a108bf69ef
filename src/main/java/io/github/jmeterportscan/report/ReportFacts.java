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

    /** -Pn: every target is taken as up, so every scanned host counts as up. */
    static int hostsUp(ScanReport report) {
        return report.hosts().size();
    }

    static int hostsScanned(ScanReport report) {
        return report.hosts().size();
    }

    /** --reason, or implied by -vv. */
    static boolean showReason(ScanRequest request) {
        return request.showReason() || request.verbosity() > 1;
    }

    /** With --open, nmap leaves out hosts where nothing is even possibly open. */
    static boolean listed(ScanRequest request, HostResult host) {
        return host.timedOut() || !request.openOnly() || hasOpenPorts(host);
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

    static String commandLine(ProgramIdentity identity, ScanReport report) {
        return NmapFormat.commandLine(identity.name(), report.request().arguments());
    }
}
