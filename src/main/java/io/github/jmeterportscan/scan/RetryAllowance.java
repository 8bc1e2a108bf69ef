package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.probe.SynCookie;
import io.github.jmeterportscan.spec.Timing;

/**
 * How many times each port of one host may be sent: nmap's HostScanStats::allowedTryno, raised by
 * a loss model when answers to retransmissions show that the path loses probes or replies.
 *
 * <p>nmap's rule gives every port one retry, and one more than the latest try that was ever
 * answered, up to --max-retries. On a lossy path that leaves a port filtered as often as all its
 * tries are lost, and under heavy loss nmap's cap of ten retries loses several answering ports in
 * every few hundred.
 *
 * <p>The loss model: each try of an answering port comes back independently with the same
 * probability. Whether a port's first try was answered is one such trial, so among the ports that
 * answered, k out of m needed more than one try. With a uniform prior on the loss per try p, the
 * probability that n tries in a row are all lost is the posterior mean of p^n, which is
 * {@code prod_{j<n} (k+1+j)/(m+2+j)}: smaller samples give a longer tail, so a scan of a few ports
 * gets more tries than a point estimate would give it. Every port gets the smallest n for which
 * this probability times the number of scanned ports is at most {@link #WRONG_PORTS_PER_SCAN}: the
 * expected number of answering ports wrongly reported filtered stays below one in a hundred scans.
 * ICMP errors do not count (they are often rate-limited, as nmap also assumes), and without any
 * answered retransmission (k = 0) nmap's rule alone applies. The same model also runs on the
 * counts of the whole scan ({@link ScanLoss}), with the whole scan's ports in the bound, and a port
 * gets the larger of the two allowances: a host of a sweep learns the path's loss from every host.
 *
 * <p>--max-retries, when given (or set by -T4 or -T5), caps both rules as in nmap. Otherwise the
 * loss model may go past nmap's default of 10 retries, up to the try numbers a probe can carry.
 * Owned by the scan loop thread.
 */
final class RetryAllowance {
    /** The expected number of answering ports the loss model lets end up filtered in one scan. */
    static final double WRONG_PORTS_PER_SCAN = 0.01;

    private final int ports;
    private final ScanLoss scanLoss;
    /** nmap's cap on retries: --max-retries or the template's. */
    private final int nmapCap;
    /** The cap on retries the loss model may reach. */
    private final int lossCap;
    private int maxSuccessfulTry;
    /** Ports whose first answer (TCP) came to their first try, and to a later one. */
    private int answeredFirst;
    private int answeredLater;
    private int lossRetries;
    private int lossRetriesFirst = -1;
    private int lossRetriesLater = -1;

    /** The allowance of a scan of one host. */
    RetryAllowance(Timing timing, int ports) {
        this(timing, ports, new ScanLoss(ports));
    }

    /** The allowance of one host of a scan whose hosts pool their loss evidence in {@code scanLoss}. */
    RetryAllowance(Timing timing, int ports, ScanLoss scanLoss) {
        this.ports = ports;
        this.scanLoss = scanLoss;
        this.nmapCap = Math.min(timing.maxRetries(), SynCookie.MAX_TRIES - 1);
        this.lossCap = maxSends(timing) - 1;
    }

    /** The most transmissions any port of a scan with this timing can get. */
    static int maxSends(Timing timing) {
        int retries = timing.retriesFollowLoss() ? SynCookie.MAX_TRIES - 1 : timing.maxRetries();
        return Math.min(SynCookie.MAX_TRIES, retries + 1);
    }

    /**
     * An answer to try {@code tryNo}.
     *
     * @param firstOfPort whether it is the first answer the port got
     * @param icmpError   whether it is an ICMP error (a filtered verdict)
     * @return true when the allowance may have grown
     */
    boolean answered(int tryNo, boolean firstOfPort, boolean icmpError) {
        boolean grew = false;
        // nmap: an ICMP error to a retransmission is no sign of loss, it may be rate-limited.
        if (tryNo > maxSuccessfulTry && !(icmpError && tryNo > 0)) {
            maxSuccessfulTry = tryNo;
            grew = true;
        }
        if (firstOfPort && !icmpError) {
            scanLoss.answered(tryNo == 0);
            if (tryNo == 0) {
                answeredFirst++;
            } else {
                answeredLater++;
                grew = true;
            }
        }
        return grew;
    }

    /** Transmissions each port may have now. */
    int sends() {
        int retries = Math.min(nmapCap, Math.max(1, maxSuccessfulTry + 1));
        if (answeredLater > 0) {
            retries = Math.max(retries, lossRetries());
        }
        if (scanLoss.lossSeen()) {
            retries = Math.max(retries, scanLoss.retries(lossCap));
        }
        return retries + 1;
    }

    /** Whether some answer needed a retransmission: the loss model is in force. */
    boolean lossSeen() {
        return answeredLater > 0 || scanLoss.lossSeen();
    }

    private int lossRetries() {
        if (answeredFirst != lossRetriesFirst || answeredLater != lossRetriesLater) {
            lossRetries = lossRetries(answeredLater, answeredFirst + answeredLater, ports, lossCap);
            lossRetriesFirst = answeredFirst;
            lossRetriesLater = answeredLater;
        }
        return lossRetries;
    }

    /**
     * The retries (sends - 1) after which all sends of an answering port are lost with a
     * probability below {@link #WRONG_PORTS_PER_SCAN}{@code / ports}, given that {@code later} of
     * {@code answered} ports needed more than one try; at most {@code cap}.
     */
    static int lossRetries(int later, int answered, int ports, int cap) {
        double allLost = 1;
        double bound = WRONG_PORTS_PER_SCAN / Math.max(1, ports);
        for (int sends = 1; sends <= cap; sends++) {
            // P(the first `sends` tries are all lost) = prod over j < sends of (k+1+j)/(m+2+j)
            allLost *= (later + sends) / (double) (answered + 1 + sends);
            if (allLost <= bound) {
                return sends - 1;
            }
        }
        return cap;
    }
}
