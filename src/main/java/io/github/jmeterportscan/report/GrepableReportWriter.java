package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanRequest;
import java.io.IOException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * nmap 7.93's grepable output (-oG): one "Status" line and one "Ports" line per host, fields
 * separated by tabs, each port as {@code port/state/tcp//service///}. The parenthesised name after
 * the address is the reverse-DNS name, which we never look up (as nmap with -n), so it is empty.
 */
public final class GrepableReportWriter implements ReportWriter {
    private final IntFunction<String> serviceNames;
    private final ProgramIdentity identity;
    private final ZoneId zone;

    /**
     * @param serviceNames port → nmap-services name for TCP, or null when the port is not listed
     * @param identity     the program writing the report
     * @param zone         time zone of the dates
     */
    public GrepableReportWriter(IntFunction<String> serviceNames, ProgramIdentity identity, ZoneId zone) {
        this.serviceNames = Objects.requireNonNull(serviceNames, "serviceNames");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public GrepableReportWriter(IntFunction<String> serviceNames, ProgramIdentity identity) {
        this(serviceNames, identity, ZoneId.systemDefault());
    }

    @Override
    public void writeHeader(ScanHeader header, Appendable out) throws IOException {
        ScanRequest request = header.request();
        out.append("# Nmap ").append(NmapFormat.NMAP_VERSION).append(" scan initiated ")
                .append(NmapFormat.ctime(header.startEpochMillis(), zone)).append(" as: ")
                .append(ReportFacts.commandLine(identity, request)).append('\n');
        if (request.verbosity() > 0) {
            out.append("# Ports scanned: TCP(").append(Integer.toString(request.ports().size())).append(';')
                    .append(request.ports().toRangeString()).append(") UDP(0;) SCTP(0;) PROTOCOLS(0;)\n");
        }
    }

    /** A host's lines; an interrupted host's are followed by a comment that says how far it got. */
    @Override
    public void writeHost(ScanHeader header, int index, HostResult host, Appendable out) throws IOException {
        ScanRequest request = header.request();
        if (!ReportFacts.listed(request, host)) {
            return;
        }
        String prefix = "Host: " + host.target().addressString() + " ()";
        if (!host.up()) {
            out.append(prefix).append("\tStatus: Down\n");
            return;
        }
        out.append(prefix).append("\tStatus: Up\n");
        if (host.timedOut()) {
            out.append(prefix).append("\tStatus: Timeout\n");
            return;
        }
        PortSummary summary = ReportFacts.summary(request, host);
        if (summary.total() > 0) {
            out.append(prefix).append("\tPorts: ");
            writePorts(summary, out);
            out.append('\n');
        } else if (!request.discovery().pingOnly()) {
            out.append('\n');
        }
        if (host.interrupted()) {
            out.append("# ").append(host.target().addressString()).append(": ")
                    .append(ReportFacts.interruptedHost(request, host)).append('\n');
        }
    }

    /** "# Nmap done at ...", or "# Nmap interrupted at ... by ..." when the scan did not finish. */
    @Override
    public void writeFooter(ScanReport report, Appendable out) throws IOException {
        out.append(report.interruption().isEmpty() ? "# Nmap done at " : "# Nmap interrupted at ")
                .append(NmapFormat.ctime(report.endEpochMillis(), zone));
        if (report.interruption().isPresent()) {
            out.append(" by ").append(report.interruption().get());
        }
        out.append(" -- ")
                .append(NmapFormat.hostCounts(ReportFacts.hostsScanned(report), ReportFacts.hostsUp(report)))
                .append(" scanned in ").append(NmapFormat.elapsed(report)).append(" seconds")
                .append(ReportFacts.incompleteSuffix(report)).append('\n');
    }

    private void writePorts(PortSummary summary, Appendable out) throws IOException {
        boolean first = true;
        for (PortResult port : summary.shown()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            String service = serviceNames.apply(port.port());
            // '/' separates the fields, so nmap writes it as '|' inside a value.
            String name = service == null ? "" : service.replace('/', '|');
            out.append(Integer.toString(port.port())).append('/').append(port.state().nmapName())
                    .append("/tcp//").append(name).append("///");
        }
        // The format has room for only one summarised state.
        if (summary.hasSingleIgnoredState()) {
            PortSummary.IgnoredState ignored = summary.ignored().get(0);
            out.append("\tIgnored State: ").append(ignored.state().nmapName())
                    .append(" (").append(Integer.toString(ignored.count())).append(')');
        }
    }
}
