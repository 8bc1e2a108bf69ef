package io.github.jmeterportscan.report;

import static io.github.jmeterportscan.report.XmlEscaper.escape;

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
 * nmap 7.93's XML output (-oX) for a TCP port scan with -Pn: valid against nmap.dtd, readable by
 * ndiff and by the tools that import nmap XML. Written as the scan goes, every piece leaves the
 * file one closing part away from a complete document; an interrupted scan gets that part too,
 * saying what stopped it.
 *
 * <p>The DTD allows only {@code scanner="nmap"}, and parsers read {@code version} as the nmap
 * release whose format they are looking at, so both carry nmap's values; our own name and version
 * go into a comment before the root element and into {@code args}, whose first word is our
 * program name.
 */
public final class XmlReportWriter implements ReportWriter {
    /** The stylesheet nmap's --webxml points to: it renders wherever the file is opened. */
    public static final String WEB_STYLESHEET = "https://svn.nmap.org/nmap/docs/nmap.xsl";

    private final IntFunction<String> serviceNames;
    private final ProgramIdentity identity;
    private final Optional<String> stylesheet;
    private final ZoneId zone;

    /**
     * @param serviceNames port → nmap-services name for TCP, or null when the port is not listed
     * @param identity     the program writing the report
     * @param stylesheet   href of the xml-stylesheet instruction; empty leaves it out
     *                     (--no-stylesheet)
     * @param zone         time zone of the human-readable dates
     */
    public XmlReportWriter(IntFunction<String> serviceNames, ProgramIdentity identity,
            Optional<String> stylesheet, ZoneId zone) {
        this.serviceNames = Objects.requireNonNull(serviceNames, "serviceNames");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.stylesheet = Objects.requireNonNull(stylesheet, "stylesheet");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** With the --webxml stylesheet and the system time zone. */
    public XmlReportWriter(IntFunction<String> serviceNames, ProgramIdentity identity) {
        this(serviceNames, identity, Optional.of(WEB_STYLESHEET), ZoneId.systemDefault());
    }

    @Override
    public void writeHeader(ScanHeader header, Appendable out) throws IOException {
        ScanRequest request = header.request();
        String startStr = NmapFormat.ctime(header.startEpochMillis(), zone);
        String args = ReportFacts.commandLine(identity, request);

        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<!DOCTYPE nmaprun>\n");
        if (stylesheet.isPresent()) {
            out.append("<?xml-stylesheet href=\"").append(escape(stylesheet.get()))
                    .append("\" type=\"text/xsl\"?>\n");
        }
        out.append("<!-- ").append(escape("Nmap " + NmapFormat.NMAP_VERSION + " scan initiated " + startStr
                + " as: " + args)).append(" -->\n");
        out.append("<!-- ").append(escape("written by " + identity.name() + " " + identity.version() + " ("
                + identity.url() + ") in the output format of Nmap " + NmapFormat.NMAP_VERSION)).append(" -->\n");
        out.append("<nmaprun scanner=\"nmap\" args=\"").append(escape(args))
                .append("\" start=\"").append(Long.toString(NmapFormat.epochSeconds(header.startEpochMillis())))
                .append("\" startstr=\"").append(escape(startStr))
                .append("\" version=\"").append(NmapFormat.NMAP_VERSION)
                .append("\" xmloutputversion=\"").append(NmapFormat.XML_OUTPUT_VERSION).append("\">\n");
        if (!request.discovery().pingOnly()) {
            // A ping scan (-sn) scans no service: nmap writes no scaninfo for it.
            out.append("<scaninfo type=\"").append(header.scanType().xmlName())
                    .append("\" protocol=\"tcp\" numservices=\"").append(Integer.toString(request.ports().size()))
                    .append("\" services=\"").append(request.ports().toRangeString()).append("\"/>\n");
        }
        out.append("<verbose level=\"").append(Integer.toString(request.verbosity())).append("\"/>\n");
        out.append("<debugging level=\"0\"/>\n");
        // A ping scan runs no port-scan task (nmap's ping tasks are not written here).
        if (request.verbosity() > 0 && !request.discovery().pingOnly()) {
            out.append("<taskbegin task=\"").append(escape(header.scanType().title())).append("\" time=\"")
                    .append(Long.toString(NmapFormat.epochSeconds(header.startEpochMillis()))).append("\"/>\n");
        }
    }

    @Override
    public void writeFooter(ScanReport report, Appendable out) throws IOException {
        if (report.hosts().isEmpty() && report.request().verbosity() > 0 && report.interruption().isEmpty()
                && !report.request().discovery().pingOnly()) {
            writeTaskEnd(report.header(), report.endEpochMillis(), out);
        }
        writeRunstats(report, out);
        out.append("</nmaprun>\n");
    }

    /**
     * With -v nmap records the scan phase as a task, once per host group, and writes the group's
     * hosts after its end. We scan all hosts as one group and write each host when it is done, in
     * target order, so the task ends, as the output knows it, with the first host (as nmap lays it
     * out; with one host the same time); a first host that was interrupted never ended it.
     */
    @Override
    public void writeHost(ScanHeader header, int index, HostResult host, Appendable out) throws IOException {
        if (index == 0 && header.request().verbosity() > 0 && !host.interrupted()
                && !header.request().discovery().pingOnly()) {
            writeTaskEnd(header, host.endEpochMillis(), out);
        }
        if (ReportFacts.listed(header.request(), host)) {
            writeListedHost(header.request(), host, out);
        }
    }

    private static void writeTaskEnd(ScanHeader header, long endEpochMillis, Appendable out) throws IOException {
        long totalPorts = (long) header.request().ports().size() * header.hostCount();
        out.append("<taskend task=\"").append(escape(header.scanType().title())).append("\" time=\"")
                .append(Long.toString(NmapFormat.epochSeconds(endEpochMillis))).append("\" extrainfo=\"")
                .append(Long.toString(totalPorts)).append(" total ports\"/>\n");
    }

    private void writeListedHost(ScanRequest request, HostResult host, Appendable out) throws IOException {
        // Times are those of a port scan: a ping scan's hosts and hosts found down have none.
        if (host.up() && !request.discovery().pingOnly()) {
            out.append("<host starttime=\"").append(Long.toString(NmapFormat.epochSeconds(host.startEpochMillis())))
                    .append("\" endtime=\"").append(Long.toString(NmapFormat.epochSeconds(host.endEpochMillis())))
                    .append('"');
        } else {
            out.append("<host");
        }
        if (host.timedOut()) {
            out.append(" timedout=\"true\"");
        }
        if (host.interrupted()) {
            out.append(" comment=\"").append(escape(ReportFacts.interruptedHost(request, host))).append('"');
        }
        out.append('>');
        out.append("<status state=\"").append(host.up() ? "up" : "down").append("\" reason=\"")
                .append(host.status().reason().nmapName()).append("\" reason_ttl=\"")
                .append(Integer.toString(host.status().reasonTtl())).append("\"/>\n");
        out.append("<address addr=\"").append(escape(host.target().addressString()))
                .append("\" addrtype=\"").append(host.target().isIpv6() ? "ipv6" : "ipv4").append("\"/>\n");
        if (host.macAddress().isPresent()) {
            String mac = host.macAddress().get();
            out.append("<address addr=\"").append(escape(mac)).append("\" addrtype=\"mac\"");
            MacVendors.vendorOf(mac).ifPresent(vendor -> appendVendor(out, vendor));
            out.append("/>\n");
        }
        // nmap writes hostnames whenever the host is up or has a name.
        if (host.up() || host.target().userHostname().isPresent()) {
            out.append("<hostnames>\n");
            if (host.target().userHostname().isPresent()) {
                out.append("<hostname name=\"").append(escape(host.target().userHostname().get()))
                        .append("\" type=\"user\"/>\n");
            }
            out.append("</hostnames>\n");
        }
        if (!host.up()) {
            out.append("</host>\n");
            return;
        }
        if (!host.timedOut()) {
            writePorts(ReportFacts.summary(request, host), out);
        }
        writeTimes(host.times(), out);
        out.append("</host>\n");
    }

    private void writePorts(PortSummary summary, Appendable out) throws IOException {
        if (summary.total() == 0) {
            return;
        }
        out.append("<ports>");
        for (PortSummary.IgnoredState ignored : summary.ignored()) {
            out.append("<extraports state=\"").append(ignored.state().nmapName())
                    .append("\" count=\"").append(Integer.toString(ignored.count())).append("\">\n");
            for (PortSummary.ReasonGroup group : ignored.reasons()) {
                out.append("<extrareasons reason=\"").append(group.reason().nmapName())
                        .append("\" count=\"").append(Integer.toString(group.count()))
                        .append("\" proto=\"tcp\" ports=\"").append(group.ports().toRangeString()).append("\"/>\n");
            }
            out.append("</extraports>\n");
        }
        for (PortResult port : summary.shown()) {
            out.append("<port protocol=\"tcp\" portid=\"").append(Integer.toString(port.port())).append("\">");
            out.append("<state state=\"").append(port.state().nmapName())
                    .append("\" reason=\"").append(port.reason().nmapName())
                    .append("\" reason_ttl=\"").append(Integer.toString(port.reasonTtl())).append("\"/>");
            String service = serviceNames.apply(port.port());
            if (service != null) {
                // Names from the nmap-services table: nmap's "table" method with confidence 3.
                out.append("<service name=\"").append(escape(service)).append("\" method=\"table\" conf=\"3\"/>");
            }
            out.append("</port>\n");
        }
        out.append("</ports>\n");
    }

    private static void writeTimes(HostTimes times, Appendable out) throws IOException {
        if (times.srttMicros() == -1 && times.rttvarMicros() == -1) {
            return;
        }
        out.append("<times srtt=\"").append(Long.toString(times.srttMicros()))
                .append("\" rttvar=\"").append(Long.toString(times.rttvarMicros()))
                .append("\" to=\"").append(Long.toString(times.timeoutMicros())).append("\"/>\n");
    }

    /**
     * The closing statistics. An interrupted scan ends with exit="error" and an errormsg naming
     * the interruption, as nmap's fatal errors end, so that a reader knows the file is incomplete.
     */
    private void writeRunstats(ScanReport report, Appendable out) throws IOException {
        String endStr = NmapFormat.ctime(report.endEpochMillis(), zone);
        int scanned = ReportFacts.hostsScanned(report);
        int up = ReportFacts.hostsUp(report);
        String elapsed = NmapFormat.elapsed(report);
        String counts = NmapFormat.hostCounts(scanned, up) + " scanned in " + elapsed + " seconds";
        out.append("<runstats><finished time=\"").append(Long.toString(NmapFormat.epochSeconds(report.endEpochMillis())))
                .append("\" timestr=\"").append(escape(endStr));
        if (report.interruption().isEmpty()) {
            out.append("\" summary=\"").append(escape("Nmap done at " + endStr + "; " + counts))
                    .append("\" elapsed=\"").append(elapsed)
                    .append("\" exit=\"success\"/>");
        } else {
            String cause = report.interruption().get();
            out.append("\" summary=\"").append(escape("Nmap interrupted at " + endStr + " by " + cause + "; " + counts
                            + ReportFacts.incompleteSuffix(report)))
                    .append("\" elapsed=\"").append(elapsed)
                    .append("\" exit=\"error\" errormsg=\"")
                    .append(escape("Scan interrupted by " + cause + " before it finished")).append("\"/>");
        }
        out.append("<hosts up=\"").append(Integer.toString(up))
                .append("\" down=\"").append(Integer.toString(scanned - up))
                .append("\" total=\"").append(Integer.toString(scanned)).append("\"/>\n");
        out.append("</runstats>\n");
    }

    private static void appendVendor(Appendable out, String vendor) {
        try {
            out.append(" vendor=\"").append(escape(vendor)).append('"');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
