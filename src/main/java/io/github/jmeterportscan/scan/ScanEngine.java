package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a scan request: picks the method (a raw SYN scan when raw access works, otherwise a connect
 * scan, and says so), hands the work to that scanner and wraps the outcome in a report. Safe to
 * share between threads: it holds no per-scan state.
 */
public final class ScanEngine {
    private final PortScanner rawScanner;
    private final PortScanner connectScanner;
    private final Supplier<Optional<String>> rawAccessProblem;

    public ScanEngine(PortScanner rawScanner, PortScanner connectScanner, Supplier<Optional<String>> rawAccessProblem) {
        this.rawScanner = rawScanner;
        this.connectScanner = connectScanner;
        this.rawAccessProblem = rawAccessProblem;
    }

    public ScanReport run(ScanRequest request, List<Target> targets, List<String> notes, ScanObserver observer)
            throws ScanException, InterruptedException {
        List<String> allNotes = new ArrayList<>(notes);
        ScanType type = chooseType(request, allNotes);
        ScanJob job = new ScanJob(targets, request.ports(), type, request.timing(), request.randomizePorts(),
                request.sourcePort(), request.interfaceName(), request.packetTrace());
        long start = System.currentTimeMillis();
        List<HostResult> hosts = (type.isRaw() ? rawScanner : connectScanner).scan(job, observer);
        return new ScanReport(request, type, allNotes, hosts, start, System.currentTimeMillis());
    }

    /** The method to use; explains a fallback in {@code notes}, refuses an impossible explicit choice. */
    public ScanType chooseType(ScanRequest request, List<String> notes) throws ScanException {
        Optional<ScanType> asked = request.scanType();
        if (asked.isPresent() && !asked.get().isRaw()) {
            return asked.get();
        }
        Optional<String> problem = rawAccessProblem.get();
        if (problem.isEmpty()) {
            return asked.orElse(ScanType.SYN);
        }
        if (asked.isPresent()) {
            throw new ScanException("You requested a scan type which requires root privileges ("
                    + asked.get().option() + "): " + problem.get());
        }
        notes.add("Raw packet access is not available: " + problem.get()
                + ". Using a TCP connect scan (-sT) instead of a SYN scan.");
        return ScanType.CONNECT;
    }
}
