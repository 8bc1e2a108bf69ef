package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import java.util.List;

/** One scan method (raw SYN/ACK, or connect) applied to a set of hosts. */
public interface PortScanner {
    /**
     * Probes every port of every target of the job, telling {@code observer} of each host as its
     * scan is done ({@link ScanObserver#hostFinished}).
     *
     * @return one result per target, in the job's target order, each with one entry per port in
     *         ascending port order
     * @throws ScanException        when the scan cannot run (the message is for the user)
     * @throws InterruptedException when the calling thread is interrupted; the scan stops promptly,
     *                              releases what it holds and throws a
     *                              {@link PartialScanException} with what it found so far
     */
    List<HostResult> scan(ScanJob job, ScanObserver observer) throws ScanException, InterruptedException;
}
