package io.github.jmeterportscan.report;

import io.github.jmeterportscan.spec.OutputFiles;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The writers of one program run, configured once: service names, our identity, time zone,
 * stylesheet and data directory. Immutable; the {@code with...} methods return changed copies.
 */
public final class ReportWriters {
    private final IntFunction<String> serviceNames;
    private final ProgramIdentity identity;
    private final ZoneId zone;
    private final Optional<String> stylesheet;
    private final Optional<String> dataDirectory;

    private ReportWriters(IntFunction<String> serviceNames, ProgramIdentity identity, ZoneId zone,
            Optional<String> stylesheet, Optional<String> dataDirectory) {
        this.serviceNames = Objects.requireNonNull(serviceNames, "serviceNames");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.stylesheet = Objects.requireNonNull(stylesheet, "stylesheet");
        this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /**
     * @param serviceNames port → nmap-services name for TCP, or null when the port is not listed
     * @param identity     the program writing the reports
     */
    public static ReportWriters of(IntFunction<String> serviceNames, ProgramIdentity identity) {
        return new ReportWriters(serviceNames, identity, ZoneId.systemDefault(),
                Optional.of(XmlReportWriter.WEB_STYLESHEET), Optional.empty());
    }

    public ReportWriters withZone(ZoneId newZone) {
        return new ReportWriters(serviceNames, identity, newZone, stylesheet, dataDirectory);
    }

    /** --stylesheet (a path or URL) or, when empty, --no-stylesheet. */
    public ReportWriters withStylesheet(Optional<String> href) {
        return new ReportWriters(serviceNames, identity, zone, href, dataDirectory);
    }

    /** Where the services table was read from, reported with -v as nmap reports its data files. */
    public ReportWriters withDataDirectory(Optional<String> directory) {
        return new ReportWriters(serviceNames, identity, zone, stylesheet, directory);
    }

    public XmlReportWriter xml() {
        return new XmlReportWriter(serviceNames, identity, stylesheet, zone);
    }

    public NormalReportWriter normal() {
        return new NormalReportWriter(serviceNames, identity, NormalReportWriter.Flavor.FILE, dataDirectory, zone);
    }

    public NormalReportWriter interactive() {
        return new NormalReportWriter(serviceNames, identity, NormalReportWriter.Flavor.INTERACTIVE,
                dataDirectory, zone);
    }

    public GrepableReportWriter grepable() {
        return new GrepableReportWriter(serviceNames, identity, zone);
    }

    /**
     * Opens (and truncates) the files {@code outputs} names before the scan, as nmap does, so a
     * bad path fails before any packet is sent.
     *
     * @param outputs where -oN/-oX/-oG go; "-" means {@code stdout}
     * @param stdout  the terminal
     * @throws ReportException when a file cannot be opened
     */
    public OutputSink open(OutputFiles outputs, PrintStream stdout) throws ReportException {
        return OutputSink.open(this, outputs, stdout);
    }
}
