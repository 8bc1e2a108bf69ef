package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.spec.Target;
import java.util.List;

/** Several observers as one (see {@link ScanObserver#all}); packets go only to those that want them. */
final class CompositeObserver implements ScanObserver {
    private final ScanObserver[] observers;
    private final ScanObserver[] packetObservers;

    CompositeObserver(List<ScanObserver> observers) {
        this.observers = observers.toArray(ScanObserver[]::new);
        this.packetObservers = observers.stream().filter(ScanObserver::wantsPackets).toArray(ScanObserver[]::new);
    }

    @Override
    public void portDecided(Target target, PortResult result) {
        for (ScanObserver o : observers) {
            o.portDecided(target, result);
        }
    }

    @Override
    public void hostFinished(int index, HostResult result) {
        for (ScanObserver o : observers) {
            o.hostFinished(index, result);
        }
    }

    @Override
    public void packetTrace(String line) {
        for (ScanObserver o : observers) {
            o.packetTrace(line);
        }
    }

    @Override
    public boolean wantsPackets() {
        return packetObservers.length > 0;
    }

    @Override
    public void packet(PacketDirection direction, byte[] datagram, int offset, int length, long epochNanos) {
        for (ScanObserver o : packetObservers) {
            o.packet(direction, datagram, offset, length, epochNanos);
        }
    }
}
