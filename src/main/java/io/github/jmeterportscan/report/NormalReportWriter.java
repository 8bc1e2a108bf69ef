package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanRequest;
import java.io.IOException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * nmap 7.93's normal, human-readable output. nmap writes it in two flavours that differ only in
 * their first and last lines: the -oN file opens with "# Nmap 7.93 scan initiated ... as: ..." and
 * closes with "# Nmap done at ...", the terminal gets "Starting ..." and "Nmap done: ...". In the
 * terminal banner we name ourselves (same shape as nmap's); the file keeps nmap's comment lines,
 * which tools use to recognise the format, with our program name heading the command line. A scan
 * that was interrupted closes with "# Nmap interrupted at ... by SIGINT -- ..." (terminal: "Nmap
 * interrupted by SIGINT: ..."), never with "done".
 */
public final class NormalReportWriter implements ReportWriter {

    /** Which of nmap's two normal-output streams to reproduce. */
    public enum Flavor {
        /** What -oN writes to a file (or to stdout with "-oN -"). */
        FILE,
        /** What nmap prints on the terminal when stdout is not taken by an output file. */
        INTERACTIVE
    }

    private final IntFunction<String> serviceNames;
    private final ProgramIdentity identity;
    private final Flavor flavor;
    private final Optional<String> dataDirectory;
    private final ZoneId zone;

    /**
     * @param serviceNames  port → nmap-services name for TCP, or null when the port is not listed
     * @param identity      the program writing the report
     * @param flavor        file or terminal flavour
     * @param dataDirectory directory the services table came from; with -v nmap reports it
     *                      ("Read data files from: ..."); empty leaves the line out
     * @param zone          time zone of the dates
     */
    public NormalReportWriter(IntFunction<String> serviceNames, ProgramIdentity identity, Flavor flavor,
            Optional<String> dataDirectory, ZoneId zone) {
        this.serviceNames = Objects.requireNonNull(serviceNames, "serviceNames");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.flavor = Objects.requireNonNull(flavor, "flavor");
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public NormalReportWriter(IntFunction<String> serviceNames, ProgramIdentity identity, Flavor flavor) {
        this(serviceNames, identity, flavor, Optional.empty(), ZoneId.systemDefault());
    }

    /** The terminal's first line, for a caller that prints it when the scan starts. */
    public String startingLine(long startEpochMillis) {
        return "Starting " + identity.name() + " " + identity.version() + " ( " + identity.url() + " ) at "
                + NmapFormat.bannerTime(startEpochMillis, zone) + "\n";
    }

    /** The opening line (banner or "# Nmap ... scan initiated") and the notes. */
    @Override
    public void writeHeader(ScanHeader header, Appendable out) throws IOException {
        if (flavor == Flavor.INTERACTIVE) {
            out.append(startingLine(header.startEpochMillis()));
        } else {
            out.append("# Nmap ").append(NmapFormat.NMAP_VERSION).append(" scan initiated ")
                    .append(NmapFormat.ctime(header.startEpochMillis(), zone)).append(" as: ")
                    .append(ReportFacts.commandLine(identity, header.request())).append('\n');
        }
        // Where nmap prints its warnings.
        for (String note : header.notes()) {
            out.append(note).append('\n');
        }
    }

    @Override
    public void writeHost(ScanHeader header, int index, HostResult host, Appendable out) throws IOException {
        ScanRequest request = header.request();
        if (!ReportFacts.listed(request, host)) {
            return;
        }
        writeHostHeader(request, host, out);
        if (!host.up()) {
            return;
        }
        if (host.timedOut()) {
            out.append("Skipping host ").append(host.target().displayName()).append(" due to host timeout\n");
            return;
        }
        if (host.interrupted()) {
            out.append(ReportFacts.interruptedHost(request, host)).append("; the others are not listed.\n");
        }
        writePorts(request, host, out);
        if (host.macAddress().isPresent()) {
            String mac = host.macAddress().get();
            out.append("MAC Address: ").append(mac).append(" (")
                    .append(MacVendors.vendorOf(mac).orElse("Unknown")).append(")\n");
        }
        // A ping scan's hosts follow each other without the blank line that ends a port table.
        if (!request.discovery().pingOnly()) {
            out.append('\n');
        }
    }

    /**
     * "Nmap done" with the counts and time; after an interruption "Nmap interrupted", naming what
     * stopped the scan, so that the output never claims a scan finished that did not.
     */
    @Override
    public void writeFooter(ScanReport report, Appendable out) throws IOException {
        if (report.request().verbosity() > 0 && dataDirectory.isPresent()) {
            out.append("Read data files from: ").append(dataDirectory.get()).append('\n');
        }
        String counts = NmapFormat.hostCounts(ReportFacts.hostsScanned(report), ReportFacts.hostsUp(report));
        String elapsed = NmapFormat.elapsed(report);
        Optional<String> interruption = report.interruption();
        if (flavor == Flavor.INTERACTIVE) {
            out.append(interruption.isEmpty() ? "Nmap done" : "Nmap interrupted by " + interruption.get());
            out.append(": ");
        } else {
            out.append(interruption.isEmpty() ? "# Nmap done at " : "# Nmap interrupted at ")
                    .append(NmapFormat.ctime(report.endEpochMillis(), zone));
            if (interruption.isPresent()) {
                out.append(" by ").append(interruption.get());
            }
            out.append(" -- ");
        }
        out.append(counts).append(" scanned in ").append(elapsed).append(" seconds")
                .append(ReportFacts.incompleteSuffix(report)).append('\n');
    }

    private static void writeHostHeader(ScanRequest request, HostResult host, Appendable out) throws IOException {
        if (!host.up()) {
            // nmap names the reason of a host found down without its TTL.
            out.append("Nmap scan report for ").append(host.target().displayName()).append(" [host down");
            if (ReportFacts.showReason(request)) {
                out.append(", received ").append(host.status().reason().nmapName());
            }
            out.append("]\n");
            return;
        }
        out.append("Nmap scan report for ").append(host.target().displayName()).append('\n');
        out.append("Host is up").append(ReportFacts.receivedReason(request, host));
        HostTimes times = host.times();
        if (times.srttMicros() != -1) {
            out.append(" (").append(NmapFormat.significantDigits(times.srttMicros() / 1_000_000.0, 2))
                    .append("s latency)");
        }
        out.append(".\n");
    }

    private void writePorts(ScanRequest request, HostResult host, Appendable out) throws IOException {
        PortSummary summary = ReportFacts.summary(request, host);
        if (summary.total() == 0) {
            return;
        }
        if (request.verbosity() > 1 && host.startEpochMillis() > 0) {
            long seconds = NmapFormat.epochSeconds(host.endEpochMillis()) - NmapFormat.epochSeconds(host.startEpochMillis());
            out.append("Scanned at ").append(NmapFormat.scannedAtTime(host.startEpochMillis(), zone))
                    .append(" for ").append(Long.toString(seconds)).append("s\n");
        }
        writeNotShown(host, summary, out);
        if (summary.allIgnored()) {
            return;
        }
        boolean reasons = ReportFacts.showReason(request);
        TextTable table = new TextTable(reasons ? 4 : 3);
        table.addRow(reasons ? new String[] {"PORT", "STATE", "SERVICE", "REASON"}
                : new String[] {"PORT", "STATE", "SERVICE"});
        for (PortResult port : summary.shown()) {
            String service = serviceNames.apply(port.port());
            String[] cells = {port.port() + "/tcp", port.state().nmapName(), service == null ? "unknown" : service};
            if (reasons) {
                String reason = port.reason().nmapName();
                table.addRow(cells[0], cells[1], cells[2],
                        port.reasonTtl() != 0 ? reason + " ttl " + port.reasonTtl() : reason);
            } else {
                table.addRow(cells);
            }
        }
        out.append(table.render());
    }

    /** "Not shown: 997 closed tcp ports (reset), ..." -- one entry per state and reason. */
    private static void writeNotShown(HostResult host, PortSummary summary, Appendable out) throws IOException {
        boolean first = true;
        for (PortSummary.IgnoredState ignored : summary.ignored()) {
            if (first) {
                if (summary.allIgnored()) {
                    out.append("All ").append(Integer.toString(summary.ignoredCount())).append(" scanned ports on ")
                            .append(host.target().displayName()).append(" are in ignored states.\n");
                }
                out.append("Not shown: ");
            } else {
                out.append(", ");
            }
            // nmap chooses "port"/"ports" by the state's total, not by each reason's share.
            String noun = ignored.count() == 1 ? "port" : "ports";
            boolean firstReason = true;
            for (PortSummary.ReasonGroup group : ignored.reasons()) {
                if (!firstReason) {
                    out.append(", ");
                }
                out.append(Integer.toString(group.count())).append(' ').append(ignored.state().nmapName())
                        .append(" tcp ").append(noun).append(" (").append(group.reason().nmapName()).append(')');
                firstReason = false;
            }
            first = false;
        }
        out.append('\n');
    }
}
