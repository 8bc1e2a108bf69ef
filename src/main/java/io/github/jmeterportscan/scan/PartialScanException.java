package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import java.util.List;

/**
 * A {@link PortScanner} was interrupted: the scan stopped and hands back what it had found, so
 * that the outputs can still say it.
 */
public final class PartialScanException extends InterruptedException {
    private static final long serialVersionUID = 1L;

    private final transient List<HostResult> hosts;

    /**
     * @param hosts every host whose scan had begun, in the job's target order: finished ones
     *              whole, the others {@link HostResult#interrupted() interrupted} with the ports
     *              decided so far
     */
    public PartialScanException(List<HostResult> hosts, InterruptedException cause) {
        super("scan interrupted");
        this.hosts = List.copyOf(hosts);
        initCause(cause);
    }

    public List<HostResult> hosts() {
        return hosts;
    }
}
