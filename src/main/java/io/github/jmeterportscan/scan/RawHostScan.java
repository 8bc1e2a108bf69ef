package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.PacketLink;
import io.github.jmeterportscan.probe.AddressBits;
import io.github.jmeterportscan.probe.ProbeTemplate;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortResults;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.Timing;
import java.util.Arrays;

/**
 * One host of a raw scan: its link and probe template, and per-port verdicts in flat arrays (a -p-
 * scan of 16 hosts must stay small). When to send what is its {@link HostSchedule}'s to say, on
 * the same port indexes. Owned by the scan loop thread only.
 */
final class RawHostScan {
    private static final PortState[] STATES = PortState.values();
    private static final Reason[] REASONS = Reason.values();

    /** The host's position in the job's target list. */
    final int index;
    final Target target;
    final PacketLink link;
    final ProbeTemplate template;
    final long targetHi;
    final long targetLo;
    final long sourceHi;
    final long sourceLo;
    final HostSchedule schedule;

    /** Scanned ports, ascending; every per-port array below is indexed like it. */
    final int[] ports;
    /**
     * The first port when the ports are one unbroken range (-p-, 1-1000), else -1: a reply's
     * index is then a subtraction rather than a binary search.
     */
    private final int contiguousFrom;

    /** 0 = undecided, else PortState ordinal + 1. */
    private final byte[] state;
    private final byte[] reason;
    private final byte[] ttl;
    private final int[] rttMicros;
    final long startMillis = System.currentTimeMillis();
    long endMillis;
    /** The result, made once when the host finished; null before. */
    private HostResult finishedResult;

    RawHostScan(int index, Target target, PacketLink link, ProbeTemplate template, int[] ascendingPorts, int[] sendOrder,
            Timing timing, ScanSchedule scan, long startNanos) {
        this.index = index;
        this.target = target;
        this.link = link;
        this.template = template;
        this.targetHi = AddressBits.hi(target.address());
        this.targetLo = AddressBits.lo(target.address());
        this.sourceHi = AddressBits.hi(link.sourceAddress());
        this.sourceLo = AddressBits.lo(link.sourceAddress());
        this.schedule = new HostSchedule(scan, timing, sendOrder, startNanos, null);
        this.ports = ascendingPorts;
        int last = ascendingPorts.length - 1;
        // Distinct and ascending: the span equals the count only when no port is missing.
        this.contiguousFrom = last >= 0 && ascendingPorts[last] - ascendingPorts[0] == last ? ascendingPorts[0] : -1;
        int n = ports.length;
        this.state = new byte[n];
        this.reason = new byte[n];
        this.ttl = new byte[n];
        this.rttMicros = new int[n];
        Arrays.fill(rttMicros, -1);
    }

    /** The index of {@code port} in {@link #ports}, or a negative number when it is not scanned. */
    int indexOf(int port) {
        if (contiguousFrom >= 0) {
            int index = port - contiguousFrom;
            return index >= 0 && index < ports.length ? index : -1;
        }
        return Arrays.binarySearch(ports, port);
    }

    PortState stateOf(int index) {
        return state[index] == 0 ? null : STATES[state[index] - 1];
    }

    void decide(int index, PortState newState, Reason newReason, int replyTtl, long roundTripMicros) {
        schedule.decided(index);
        state[index] = (byte) (newState.ordinal() + 1);
        reason[index] = (byte) newReason.ordinal();
        ttl[index] = (byte) replyTtl;
        rttMicros[index] = (int) Math.min(Integer.MAX_VALUE, roundTripMicros);
    }

    PortResult resultAt(int index) {
        return new PortResult(ports[index], STATES[state[index] - 1], REASONS[reason[index]], ttl[index] & 0xff,
                rttMicros[index]);
    }

    /** Makes the result of a host whose scan is done and hands it to {@code observer}. */
    void reportFinished(ScanObserver observer) {
        finishedResult = result(endMillis, false);
        observer.hostFinished(index, finishedResult);
    }

    /** The host's result: as it finished, or, when its scan had not finished, the ports decided so far. */
    HostResult toResult() {
        return finishedResult != null ? finishedResult : result(System.currentTimeMillis(), true);
    }

    private HostResult result(long end, boolean interrupted) {
        int decided = 0;
        for (byte b : state) {
            decided += b != 0 ? 1 : 0;
        }
        PortResults.Builder results = new PortResults.Builder(decided);
        for (int i = 0; i < ports.length; i++) {
            if (state[i] != 0) {
                results.add(ports[i], STATES[state[i] - 1], REASONS[reason[i]], ttl[i] & 0xff, rttMicros[i]);
            }
        }
        return new HostResult(target, results.build(), startMillis, end, schedule.timedOut(), schedule.rtt.times(),
                link.destinationMacAddress(), interrupted);
    }
}
