package io.github.jmeterportscan.cli;

import io.github.jmeterportscan.discovery.DiscoveringScan;
import io.github.jmeterportscan.report.OutputSink;
import io.github.jmeterportscan.report.ProgramIdentity;
import io.github.jmeterportscan.report.ReportException;
import io.github.jmeterportscan.report.ReportWriters;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.ScanEngine;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.ScanException;
import io.github.jmeterportscan.scan.ScanInterruptedException;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.scan.TargetGuard;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ParsedCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.spec.Target;
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
 * core. Exit status as nmap's: 0 after a scan (whatever the ports said), 1 when it could not run,
 * 128 + the signal's number when a signal stopped it (130 for SIGINT), after the outputs were
 * closed with what the scan had found (see {@link StopSignals}).
 */
public final class Main {
    static final String PROGRAM = "portscan";

    /** The exit status of a scan interrupted other than by a signal: SIGINT's. */
    private static final int INTERRUPTED_STATUS = 130;

    private final PrintStream out;
    private final PrintStream err;
    private final ScanEngine engine;
    /** Null when this run does not own the process's signals (embedded, tests). */
    private final StopSignals signals;

    public Main(PrintStream out, PrintStream err, ScanEngine engine) {
        this(out, err, engine, null);
    }

    private Main(PrintStream out, PrintStream err, ScanEngine engine, StopSignals signals) {
        this.out = out;
        this.err = err;
        this.engine = engine;
        this.signals = signals;
    }

    public static void main(String[] args) {
        StopSignals signals = StopSignals.install(Thread.currentThread());
        int status = new Main(System.out, System.err, ScanEngines.standard(), signals).run(args);
        // A signal decides the status even when it came before or after the scan.
        System.exit(signals.received().map(StopSignals.Stop::exitStatus).orElse(status));
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
        // Before anything else touches the targets: a target outside --scope refuses the run.
        TargetGuard.Admission admission = engine.admit(request, expansion.targets());
        if (!admission.outsideScope().isEmpty()) {
            return quit(admission.refusal().orElseThrow().getMessage());
        }
        admission.warnings().forEach(err::println);
        List<Target> targets = admission.admitted();
        if (targets.isEmpty()) {
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
        ConnectScanCapture connectCapture = pcap == null ? null : connectCapture(decided, targets, pcap);
        int status;
        try {
            status = runScan(request, decided, targets, notes, services,
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

    private int runScan(ScanRequest request, ScanRequest decided, List<Target> targets, List<String> notes,
            ServiceTable services, ScanObserver observer) {
        ReportWriters writers = ReportWriters.of(services::listedName, ProgramIdentity.PORTSCAN);
        try (OutputSink sink = writers.open(request.outputs(), out)) {
            long start = System.currentTimeMillis();
            sink.start(new ScanHeader(decided, decided.scanType().orElseThrow(), notes, start,
                    targets.size()));
            ScanObserver all = ScanObserver.all(observer, ScanObserver.finishedHosts((host, i) -> sink.host(i, host)));
            try {
                sink.finish(new DiscoveringScan(engine).run(decided, targets, notes, all, start));
                return 0;
            } catch (ScanInterruptedException e) {
                return interrupted(sink, e.report());
            }
        } catch (ScanException | ReportException e) {
            return quit(e.getMessage());
        } catch (IOException e) {
            return quit("Failed to close an output file: " + e.getMessage());
        }
    }

    /** The outputs get the scan as far as it got and say what interrupted it. */
    private int interrupted(OutputSink sink, ScanReport partial) throws ReportException {
        // The interrupt did its work; what is left to do (closing captures and files) must not see it.
        Thread.interrupted();
        Optional<StopSignals.Stop> stop = signals == null ? Optional.empty() : signals.received();
        sink.finish(stop.isPresent() ? partial.interruptedBy(stop.get().signal()) : partial);
        return stop.map(StopSignals.Stop::exitStatus).orElse(INTERRUPTED_STATUS);
    }

    /**
     * A connect scan's packets are the kernel's: with capture rights they are captured for --pcap
     * (--packet-trace keeps nmap's CONN lines); without, the user is told why the file is empty.
     */
    private ConnectScanCapture connectCapture(ScanRequest decided, List<Target> targets, PcapWriter pcap) {
        if (decided.scanType().map(ScanType::isRaw).orElse(true) || targets.isEmpty()) {
            return null;
        }
        Optional<String> problem = RawAccess.problem();
        if (problem.isPresent()) {
            err.println("WARNING: the kernel makes a connect scan's packets and they cannot be captured here ("
                    + problem.get() + "): " + pcap.file() + " will hold no packets");
            return null;
        }
        try {
            return ConnectScanCapture.start(targets, decided.ports(), decided.interfaceName(), pcap);
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
