package io.github.jmeterportscan.scan;

/**
 * The loss evidence of a whole scan, pooled over its hosts: how many answering ports needed more
 * than one try. Hosts behind one path share its loss, and a host of a sweep has too few ports
 * (often one or two that answer) to learn it alone; the pooled count gives every host's ports the
 * tries the path needs (see {@link RetryAllowance}). Owned by the scan loop thread.
 */
final class ScanLoss {
    private final int ports;
    private int answeredFirst;
    private int answeredLater;
    private int cachedFirst = -1;
    private int cachedLater = -1;
    private int cachedRetries;

    /** @param ports the ports of every host of the scan together */
    ScanLoss(int ports) {
        this.ports = ports;
    }

    /** A port's first answer (TCP) came to its first try, or to a later one. */
    void answered(boolean firstTry) {
        if (firstTry) {
            answeredFirst++;
        } else {
            answeredLater++;
        }
    }

    /** Whether some answer of the scan needed a retransmission. */
    boolean lossSeen() {
        return answeredLater > 0;
    }

    /** The retries the pooled evidence asks of every port, at most {@code cap}. */
    int retries(int cap) {
        if (answeredFirst != cachedFirst || answeredLater != cachedLater) {
            cachedRetries = RetryAllowance.lossRetries(answeredLater, answeredFirst + answeredLater, ports, cap);
            cachedFirst = answeredFirst;
            cachedLater = answeredLater;
        }
        return cachedRetries;
    }
}
