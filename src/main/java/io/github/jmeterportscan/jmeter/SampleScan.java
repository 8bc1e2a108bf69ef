package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.discovery.DiscoveringScan;
import io.github.jmeterportscan.link.RawAccess;
import io.github.jmeterportscan.report.OutputSink;
import io.github.jmeterportscan.report.ProgramIdentity;
import io.github.jmeterportscan.report.ReportException;
import io.github.jmeterportscan.report.ReportWriters;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.ScanException;
import io.github.jmeterportscan.scan.ScanInterruptedException;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.spec.OutputFiles;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.trace.ConnectScanCapture;
import io.github.jmeterportscan.trace.PacketRecorder;
import io.github.jmeterportscan.trace.PcapWriter;
import io.github.jmeterportscan.trace.TraceException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.threads.JMeterVariables;

/**
 * One sample's scan, from the prepared request to a filled sample result: the scan itself, the
 * output files it writes as it goes, the packets it records, and the mapping of its report.
 *
 * @param samplerName the sampler's name, for notes logged once per JVM
 * @param packetTrace whether the sample carries a packet trace
 * @param pcapFile the "Save packets to" file, or blank
 * @param variablePrefix the prefix of the JMeter variables the sample sets
 */
record SampleScan(String samplerName, boolean packetTrace, String pcapFile, String variablePrefix) {
    /** What the outputs name as the cause when JMeter interrupts a sample. */
    static final String INTERRUPTION = "JMeter (the test was stopped or the sample timed out)";

    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    /**
     * Runs the scan and fills {@code result}.
     *
     * @param scanStarting runs on the scanning thread just before the scan starts (so that it can be interrupted)
     */
    void run(CompiledSettings.Prepared prepared, SampleResult result, JMeterVariables vars, Runnable scanStarting)
            throws ScanException, ReportException, InterruptedException {
        ScanRequest request = prepared.request();
        List<Target> targets = prepared.targets();
        ReportWriters writers = ReportWriters.of(prepared.services()::listedName, ProgramIdentity.PORTSCAN);
        List<String> notes = new ArrayList<>();
        ScanRequest decided = request.withScanType(ScanEngines.standard().chooseType(request, notes));
        notes.forEach(note -> OnceLog.note(samplerName, note));
        PacketRecorder recorder = packetTrace ? new PacketRecorder() : null;
        PcapWriter pcap = openPcap();
        ScanObserver packets = ScanObserver.all(recorder, pcap);
        ScanReport report;
        scanStarting.run();
        // Without output files the sink would only render nmap's terminal output into DISCARD (a
        // PrintStream whose lock every thread shares): skip it.
        try (OutputSink sink = writesFiles(request.outputs()) ? writers.open(request.outputs(), DISCARD) : null;
                ConnectScanCapture connectCapture = connectCapture(decided, targets, packets, notes)) {
            long start = System.currentTimeMillis();
            ScanObserver observer = packets;
            if (sink != null) {
                sink.start(new ScanHeader(decided, decided.scanType().orElseThrow(), notes, start, targets.size()));
                observer = ScanObserver.all(packets, ScanObserver.finishedHosts((host, i) -> sink.host(i, host)));
            }
            try {
                report = new DiscoveringScan(ScanEngines.standard()).run(decided, targets, notes, observer, start);
            } catch (ScanInterruptedException e) {
                if (sink != null) {
                    closeInterrupted(sink, e.report());
                }
                throw e;
            }
            result.sampleEnd();
            if (sink != null) {
                sink.finish(report);
            }
        } catch (IOException e) {
            throw new ReportException("Failed to close an output file: " + e.getMessage(), e);
        }
        ScanOutcome outcome = ScanOutcome.of(report);
        new ResultMapper(writers).fill(result, report, outcome, prepared.messages(), prepared.expected(),
                prepared.granularity());
        if (recorder != null) {
            PacketTraceText.attach(result, report, recorder);
        }
        SampleVariables.scanned(vars, variablePrefix, outcome);
    }

    /**
     * The output files of an interrupted scan get what it found and closing lines that say JMeter
     * interrupted it; the sample then fails as Interrupted.
     */
    private static void closeInterrupted(OutputSink sink, ScanReport partial) throws ReportException {
        // The interrupt did its work; closing the files must not see it.
        Thread.interrupted();
        sink.finish(partial.interruptedBy(INTERRUPTION));
    }

    /** Whether -oN/-oX/-oG name a file (not "-", which here goes to DISCARD anyway). */
    private static boolean writesFiles(OutputFiles outputs) {
        return namesFile(outputs.normal()) || namesFile(outputs.xml()) || namesFile(outputs.grepable());
    }

    private static boolean namesFile(Optional<String> path) {
        return path.isPresent() && !path.get().equals("-");
    }

    /** The test-wide writer of the "Save packets to" file, if one is named. */
    private PcapWriter openPcap() throws ReportException {
        if (pcapFile.isBlank()) {
            return null;
        }
        try {
            return SharedPcapFiles.writerFor(pcapFile.trim());
        } catch (TraceException e) {
            throw new ReportException(e.getMessage(), e);
        }
    }

    /**
     * A connect scan's packets are the kernel's: when they are wanted and capture rights allow,
     * they are captured on the route's interface; otherwise the notes say why there are none.
     */
    private static ConnectScanCapture connectCapture(ScanRequest decided, List<Target> targets,
            ScanObserver packets, List<String> notes) {
        if (!packets.wantsPackets() || decided.scanType().map(ScanType::isRaw).orElse(true)) {
            return null;
        }
        Optional<String> problem = RawAccess.problem();
        if (problem.isPresent()) {
            notes.add("The kernel makes a connect scan's packets and they cannot be captured here ("
                    + problem.get() + ")");
            return null;
        }
        try {
            return ConnectScanCapture.start(targets, decided.ports(), decided.interfaceName(), packets);
        } catch (TraceException e) {
            notes.add("The connect scan's packets are not captured: " + e.getMessage());
            return null;
        }
    }
}
