package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.spec.Target;
import java.util.List;

/**
 * Passes a port scan's events on, giving each finished host the status discovery found for it and
 * its index among all targets (the port scan sees only the hosts found up).
 */
final class StatusAttachingObserver implements ScanObserver {
    private final ScanObserver next;
    private final List<Integer> upIndexes;
    private final List<PingRounds.Found> found;

    StatusAttachingObserver(ScanObserver next, List<Integer> upIndexes, List<PingRounds.Found> found) {
        this.next = next;
        this.upIndexes = List.copyOf(upIndexes);
        this.found = List.copyOf(found);
    }

    @Override
    public void hostFinished(int index, HostResult result) {
        int original = upIndexes.get(index);
        PingRounds.Found f = found.get(original);
        next.hostFinished(original, result.withStatus(f.status(), f.mac(), f.times()));
    }

    @Override
    public void portDecided(Target target, PortResult result) {
        next.portDecided(target, result);
    }

    @Override
    public void packetTrace(String line) {
        next.packetTrace(line);
    }

    @Override
    public boolean wantsPackets() {
        return next.wantsPackets();
    }

    @Override
    public void packet(PacketDirection direction, byte[] datagram, int offset, int length, long epochNanos) {
        next.packet(direction, datagram, offset, length, epochNanos);
    }
}
