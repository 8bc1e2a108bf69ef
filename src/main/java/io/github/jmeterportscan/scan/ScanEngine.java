package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.TcpInfo;
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
 * Runs a scan request: checks its targets against its scope ({@link TargetGuard}), picks the
 * method (a raw SYN scan when raw access works, otherwise a connect scan, and says so), hands the
 * work to that scanner and wraps the outcome in a report. Safe to share between threads: it holds
 * no per-scan state.
 *
 * <p>Front ends call {@link #admit} after expanding the targets, to report refusals their way
 * and to hand only admitted targets to anything that opens a capture; {@link #run} checks again
 * and refuses any target the guard does not admit, so no scan reaches a scanner unchecked.
 */
public final class ScanEngine {
    private final PortScanner rawScanner;
    private final PortScanner connectScanner;
    private final Supplier<Optional<String>> rawAccessProblem;
    private final TargetGuard guard;

    public ScanEngine(PortScanner rawScanner, PortScanner connectScanner, Supplier<Optional<String>> rawAccessProblem,
            TargetGuard guard) {
        this.rawScanner = rawScanner;
        this.connectScanner = connectScanner;
        this.rawAccessProblem = rawAccessProblem;
        this.guard = guard;
    }

    /** Which of {@code targets} the request's scopes and the never-scanned addresses let through. */
    public TargetGuard.Admission admit(ScanRequest request, List<Target> targets) {
        return guard.admit(request.scopes(), targets);
    }

    public ScanReport run(ScanRequest request, List<Target> targets, List<String> notes, ScanObserver observer)
            throws ScanException, ScanInterruptedException {
        return run(request, targets, notes, observer, System.currentTimeMillis());
    }

    /**
     * Runs the scan; an interrupt of the calling thread stops it and throws the report as far as
     * it got.
     *
     * @param startEpochMillis the scan's start as the report gives it: the time the caller wrote
     *                         in the outputs' opening lines
     * @throws OutOfScopeException      when the guard does not admit every target: nothing is sent
     * @throws ScanInterruptedException when the calling thread is interrupted; it holds the hosts
     *                                  whose scan had begun, each as far as it got
     */
    public ScanReport run(ScanRequest request, List<Target> targets, List<String> notes, ScanObserver observer,
            long startEpochMillis) throws ScanException, ScanInterruptedException {
        TargetGuard.Admission admission = admit(request, targets);
        if (admission.admitted().size() != targets.size()) {
            throw admission.refusal()
                    .orElseGet(() -> new OutOfScopeException(admission.notHosts().get(0).message()));
        }
        List<String> allNotes = new ArrayList<>(notes);
        ScanType type = chooseType(request, allNotes);
        if (type == ScanType.CONNECT && !TcpInfo.available()) {
            allNotes.add(CONNECT_RTT_CLOCK_NOTE);
        }
        ScanJob job = new ScanJob(targets, request.ports(), type, request.timing(), request.randomizePorts(),
                request.sourcePort(), request.interfaceName(), request.packetTrace());
        List<HostResult> hosts;
        try {
            hosts = (type.isRaw() ? rawScanner : connectScanner).scan(job, observer);
        } catch (PartialScanException e) {
            throw interrupted(request, type, allNotes, e.hosts(), startEpochMillis, e);
        } catch (InterruptedException e) {
            // Interrupted before any host's scan began.
            throw interrupted(request, type, allNotes, List.of(), startEpochMillis, e);
        }
        return new ScanReport(request, type, allNotes, hosts, startEpochMillis, System.currentTimeMillis());
    }

    private static ScanInterruptedException interrupted(ScanRequest request, ScanType type, List<String> notes,
            List<HostResult> hosts, long startEpochMillis, InterruptedException cause) {
        ScanReport report = new ScanReport(request, type, notes, hosts, startEpochMillis, System.currentTimeMillis(),
                Optional.of(ScanInterruptedException.THREAD_INTERRUPT));
        return new ScanInterruptedException(report, cause);
    }

    /** Says which clock a connect scan's round-trip times come from when it is not the kernel's. */
    static final String CONNECT_RTT_CLOCK_NOTE = "Round-trip times of this connect scan are the scanner's own "
            + "measure: the JVM does not let it read the kernel's (TCP_INFO); run Java with --add-exports "
            + "java.base/sun.nio.ch=ALL-UNNAMED (in JMeter: JVM_ARGS) for it.";

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
