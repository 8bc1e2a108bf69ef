package io.github.jmeterportscan.cli;

import io.github.jmeterportscan.report.OutputSink;
import io.github.jmeterportscan.report.ProgramIdentity;
import io.github.jmeterportscan.report.ReportException;
import io.github.jmeterportscan.report.ReportWriters;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.ScanEngine;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.ScanException;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ParsedCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.spec.TargetExpander;
import io.github.jmeterportscan.spec.TargetExpansion;
import io.github.jmeterportscan.link.RawAccess;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.trace.ConnectScanCapture;
import io.github.jmeterportscan.trace.NmapPacketTrace;
import io.github.jmeterportscan.trace.PcapWriter;
import io.github.jmeterportscan.trace.TraceException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar portscan.jar <nmap options> <targets>}: nmap's command line over the scanner
 * core. Exit status as nmap's: 0 after a scan (whatever the ports said), 1 when it could not run.
 */
public final class Main {
    static final String PROGRAM = "portscan";

    private final PrintStream out;
    private final PrintStream err;
    private final ScanEngine engine;

    public Main(PrintStream out, PrintStream err, ScanEngine engine) {
        this.out = out;
        this.err = err;
        this.engine = engine;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err, ScanEngines.standard()).run(args));
    }

    public int run(String... args) {
        ServiceTable services = ServiceTable.system();
        ParsedCommandLine parsed;
        try {
            parsed = new NmapCommandLine(services, PROGRAM).parseCommandLine(List.of(args));
        } catch (ScanSpecException e) {
            return quit(e.getMessage());
        }
        parsed.warnings().forEach(err::println);
        switch (parsed.action()) {
            case HELP -> {
                out.print(Usage.text(PROGRAM));
                return 0;
            }
            case VERSION -> {
                out.println(PROGRAM + " version " + ProgramIdentity.PORTSCAN.version() + " ( "
                        + ProgramIdentity.PORTSCAN.url() + " ), nmap-compatible TCP port scanner");
                return 0;
            }
            default -> {
                return scan(parsed.request().orElseThrow(), services);
            }
        }
    }

    private int scan(ScanRequest request, ServiceTable services) {
        TargetExpansion expansion;
        try {
            expansion = new TargetExpander().expand(request);
        } catch (ScanSpecException e) {
            return quit(e.getMessage());
        }
        expansion.messages().forEach(err::println);
        if (expansion.targets().isEmpty()) {
            err.println(TargetExpansion.NO_TARGETS_WARNING);
        }
        List<String> notes = new ArrayList<>();
        ScanRequest decided;
        try {
            // Decided before the banner: like nmap, a scan that cannot run stops before it starts.
            decided = request.withScanType(engine.chooseType(request, notes));
        } catch (ScanException e) {
            return quit(e.getMessage());
        }
        long startEpochNanos = epochNanosNow();
        PcapWriter pcap;
        try {
            pcap = openPcap(request);
        } catch (TraceException e) {
            return quit(e.getMessage());
        }
        ConnectScanCapture connectCapture = pcap == null ? null : connectCapture(decided, expansion, pcap);
        int status;
        try {
            status = runScan(request, decided, expansion, notes, services,
                    ScanObserver.all(packetTrace(request, startEpochNanos), pcap));
        } finally {
            if (connectCapture != null) {
                connectCapture.close();
            }
        }
        if (pcap != null) {
            try {
                pcap.close();
            } catch (TraceException e) {
                return status == 0 ? quit(e.getMessage()) : status;
            }
        }
        return status;
    }

    private int runScan(ScanRequest request, ScanRequest decided, TargetExpansion expansion, List<String> notes,
            ServiceTable services, ScanObserver observer) {
        ReportWriters writers = ReportWriters.of(services::listedName, ProgramIdentity.PORTSCAN);
        try (OutputSink sink = writers.open(request.outputs(), out)) {
            sink.start(System.currentTimeMillis());
            ScanReport report = engine.run(decided, expansion.targets(), notes, observer);
            sink.finish(report);
            return 0;
        } catch (ScanException | ReportException e) {
            return quit(e.getMessage());
        } catch (IOException e) {
            return quit("Failed to close an output file: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return quit("Interrupted");
        }
    }

    /**
     * A connect scan's packets are the kernel's: with capture rights they are captured for --pcap
     * (--packet-trace keeps nmap's CONN lines); without, the user is told why the file is empty.
     */
    private ConnectScanCapture connectCapture(ScanRequest decided, TargetExpansion expansion, PcapWriter pcap) {
        if (decided.scanType().map(ScanType::isRaw).orElse(true) || expansion.targets().isEmpty()) {
            return null;
        }
        Optional<String> problem = RawAccess.problem();
        if (problem.isPresent()) {
            err.println("WARNING: the kernel makes a connect scan's packets and they cannot be captured here ("
                    + problem.get() + "): " + pcap.file() + " will hold no packets");
            return null;
        }
        try {
            return ConnectScanCapture.start(expansion.targets(), decided.ports(), decided.interfaceName(), pcap);
        } catch (TraceException e) {
            err.println("WARNING: " + e.getMessage() + "; " + pcap.file() + " will hold no packets");
            return null;
        }
    }

    /** --pcap FILE: every probe and reply, written as the scan goes. */
    private static PcapWriter openPcap(ScanRequest request) throws TraceException {
        Optional<String> file = request.outputs().pcap();
        return file.isPresent() ? PcapWriter.open(Path.of(file.get())) : null;
    }

    /** nmap prints --packet-trace lines (SENT/RCVD for raw scans, CONN for connect) on stdout as they happen. */
    private ScanObserver packetTrace(ScanRequest request, long startEpochNanos) {
        if (!request.packetTrace()) {
            return ScanObserver.NONE;
        }
        return new NmapPacketTrace(line -> {
            synchronized (out) {
                out.println(line);
            }
        }, startEpochNanos);
    }

    private static long epochNanosNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** nmap's fatal-error shape; usage errors already end with their pointer to -h. */
    private int quit(String message) {
        err.println(message);
        if (!message.contains("See the output of nmap -h")) {
            err.println("QUITTING!");
        }
        return 1;
    }
}
