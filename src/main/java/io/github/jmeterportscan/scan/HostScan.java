package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One host of a connect scan: its verdicts and the connects in flight, by port index. When to send
 * what is its {@link HostSchedule}'s to say, on the same indexes; a probe that times out there has
 * its channel closed here. Owned by the scan loop thread only.
 */
final class HostScan {
    /** The host's position in the job's target list. */
    final int index;
    final Target target;
    final HostSchedule schedule;
    /** Scanned ports, ascending; the per-port arrays below are indexed like it. */
    final int[] ports;
    private final PortResult[] verdicts;
    private final ConnectProbe[] inFlight;
    private boolean admitted;
    private long startMillis;
    private long endMillis;
    /** The result, made once when the host finished; null before. */
    private HostResult finishedResult;

    HostScan(int index, Target target, int[] ascendingPorts, int[] sendOrder, Timing timing, ScanSchedule scan,
            long startNanos) {
        this.index = index;
        this.target = target;
        this.ports = ascendingPorts;
        this.verdicts = new PortResult[ascendingPorts.length];
        this.inFlight = new ConnectProbe[ascendingPorts.length];
        this.schedule = new HostSchedule(scan, timing, sendOrder, startNanos, this::close);
    }

    /** The host joins the hosts scanned at once. */
    void admit(long nowMillis) {
        admitted = true;
        startMillis = nowMillis;
    }

    boolean admitted() {
        return admitted;
    }

    /** A connect left for port index {@code probe.index}. */
    void track(ConnectProbe probe) {
        inFlight[probe.index] = probe;
    }

    /** Closes the connect in flight for port index {@code i}, if any. */
    void close(int i) {
        ConnectProbe probe = inFlight[i];
        if (probe != null) {
            probe.finish();
            inFlight[i] = null;
        }
    }

    /** Records the verdict of port index {@code i}. */
    void record(int i, PortResult verdict) {
        verdicts[i] = verdict;
        schedule.decided(i);
    }

    /** Port index {@code i} ends as nmap's default verdict, filtered/no-response; returns it. */
    PortResult noResponse(int i) {
        PortResult verdict = noResponseResult(ports[i]);
        record(i, verdict);
        return verdict;
    }

    /** Closes every channel still open (host finished, interruption, fatal error). */
    void closeAll() {
        for (int i = 0; i < inFlight.length; i++) {
            close(i);
        }
    }

    /** The host's scan is done: returns its result, which is final from now on. */
    HostResult finish(long nowMillis) {
        closeAll();
        endMillis = nowMillis;
        finishedResult = result();
        return finishedResult;
    }

    /**
     * The host's result. After a host timeout only the ports decided so far are listed (nmap
     * prints none of them; the reporter decides).
     */
    HostResult result() {
        if (finishedResult != null) {
            return finishedResult;
        }
        boolean timedOut = schedule.timedOut();
        List<PortResult> list = new ArrayList<>(ports.length);
        for (int i = 0; i < ports.length; i++) {
            if (verdicts[i] != null) {
                list.add(verdicts[i]);
            } else if (!timedOut) {
                list.add(noResponseResult(ports[i]));
            }
        }
        return new HostResult(target, list, startMillis, endMillis, timedOut, schedule.rtt.times());
    }

    /**
     * The result of a host whose scan was interrupted: as it finished, or, when it had not
     * finished, the ports decided so far.
     */
    HostResult interruptedResult(long nowMillis) {
        if (finishedResult != null) {
            return finishedResult;
        }
        List<PortResult> list = new ArrayList<>();
        for (PortResult verdict : verdicts) {
            if (verdict != null) {
                list.add(verdict);
            }
        }
        return new HostResult(target, list, startMillis, nowMillis, schedule.timedOut(), schedule.rtt.times(),
                Optional.empty(), true);
    }

    private static PortResult noResponseResult(int port) {
        return new PortResult(port, PortState.FILTERED, Reason.NO_RESPONSE, 0, PortResult.NO_RTT);
    }
}
