package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostStatus;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.OutOfScopeException;
import io.github.jmeterportscan.scan.ScanEngine;
import io.github.jmeterportscan.scan.ScanException;
import io.github.jmeterportscan.scan.ScanInterruptedException;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.scan.TargetGuard;
import io.github.jmeterportscan.spec.HostDiscovery;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A scan as nmap runs it: host discovery first (unless -Pn), then the port scan of the hosts found
 * up (unless -sn). Hosts found down are finished at once and never port-scanned; every host
 * reaches the observer once, down ones before the port scan starts (nmap's order), and the report
 * lists all in target order.
 */
public final class DiscoveringScan {
    private final ScanEngine engine;

    public DiscoveringScan(ScanEngine engine) {
        this.engine = engine;
    }

    /**
     * @param request a request whose scan type is decided ({@link ScanEngine#chooseType})
     * @see ScanEngine#run(ScanRequest, List, List, ScanObserver, long)
     */
    public ScanReport run(ScanRequest request, List<Target> targets, List<String> notes, ScanObserver observer,
            long startEpochMillis) throws ScanException, ScanInterruptedException {
        HostDiscovery discovery = request.discovery();
        ScanType type = request.scanType().orElseThrow(() -> new IllegalArgumentException("scan type not decided"));
        if (discovery.skip() && !discovery.pingOnly()) {
            return engine.run(request, targets, notes, observer, startEpochMillis);
        }
        // The guard decides before the first discovery probe leaves, as before the first port probe.
        TargetGuard.Admission admission = engine.admit(request, targets);
        if (admission.admitted().size() != targets.size()) {
            throw admission.refusal()
                    .orElseGet(() -> new OutOfScopeException(admission.notHosts().get(0).message()));
        }
        List<PingRounds.Found> found;
        try {
            found = discovery.skip() ? userSet(targets.size())
                    : new HostDiscoverer(request.timing(), request.interfaceName())
                            .discover(targets, discovery, type.isRaw());
        } catch (LinkException e) {
            // -e names an interface that does not exist or is down: nmap quits before it probes.
            throw new ScanException(e.getMessage(), e);
        } catch (InterruptedException e) {
            ScanReport none = new ScanReport(request, type, notes, List.of(), startEpochMillis,
                    System.currentTimeMillis(), Optional.of(ScanInterruptedException.THREAD_INTERRUPT));
            throw new ScanInterruptedException(none, e);
        }
        long discovered = System.currentTimeMillis();
        HostResult[] results = new HostResult[targets.size()];
        List<Target> up = new ArrayList<>();
        List<Integer> upIndexes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            PingRounds.Found f = found.get(i);
            results[i] = HostResult.discovered(targets.get(i), f.status(), f.times(), f.mac(), startEpochMillis,
                    discovered);
            if (f.status().up() && !discovery.pingOnly()) {
                up.add(targets.get(i));
                upIndexes.add(i);
            } else if (!f.status().up() || discovery.pingOnly()) {
                observer.hostFinished(i, results[i]);
            }
        }
        if (!up.isEmpty()) {
            ScanObserver attaching = new StatusAttachingObserver(observer, upIndexes, found);
            try {
                ScanReport scanned = engine.run(request, up, notes, attaching, startEpochMillis);
                merge(results, scanned.hosts(), upIndexes, found);
                return report(scanned, results, Optional.empty());
            } catch (ScanInterruptedException e) {
                ScanReport partial = e.report();
                merge(results, partial.hosts(), upIndexes, found);
                throw new ScanInterruptedException(report(partial, results, partial.interruption()), e);
            }
        }
        return new ScanReport(request, type, notes, Arrays.asList(results), startEpochMillis,
                System.currentTimeMillis());
    }

    private static List<PingRounds.Found> userSet(int count) {
        PingRounds.Found userSet = new PingRounds.Found(HostStatus.USER_SET,
                io.github.jmeterportscan.result.HostTimes.UNKNOWN, Optional.empty());
        return java.util.Collections.nCopies(count, userSet);
    }

    /** Port-scanned hosts replace their discovery entries; up hosts the scan never reached are left out. */
    private static void merge(HostResult[] results, List<HostResult> scanned, List<Integer> upIndexes,
            List<PingRounds.Found> found) {
        boolean[] reached = new boolean[results.length];
        for (HostResult host : scanned) {
            int k = indexOf(host, upIndexes, results);
            if (k >= 0) {
                PingRounds.Found f = found.get(k);
                results[k] = host.withStatus(f.status(), f.mac(), f.times());
                reached[k] = true;
            }
        }
        for (int k : upIndexes) {
            if (!reached[k]) {
                results[k] = null;
            }
        }
    }

    private static int indexOf(HostResult host, List<Integer> upIndexes, HostResult[] results) {
        for (int k : upIndexes) {
            if (results[k] != null && results[k].target().equals(host.target())) {
                return k;
            }
        }
        return -1;
    }

    private static ScanReport report(ScanReport scanned, HostResult[] results, Optional<String> interruption) {
        List<HostResult> all = Arrays.stream(results).filter(java.util.Objects::nonNull).toList();
        return new ScanReport(scanned.request(), scanned.scanType(), scanned.notes(), all,
                scanned.startEpochMillis(), scanned.endEpochMillis(), interruption);
    }
}
