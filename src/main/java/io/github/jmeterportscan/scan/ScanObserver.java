package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.spec.Target;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Live events of a running scan. Called from scanner threads: implementations must be thread-safe
 * and quick (no I/O on the receive path; queue and write elsewhere).
 */
public interface ScanObserver {
    ScanObserver NONE = new ScanObserver() { };

    /** A port got its (current) verdict; it may still be upgraded by a later reply. */
    default void portDecided(Target target, PortResult result) {
    }

    /**
     * A host's scan is done (every port decided, or --host-timeout cut it short): its result is
     * final. Called once per host on the scan thread (never the receive path), in the order the
     * hosts finish; the outputs write the host there and then, as nmap does.
     *
     * @param index  the host's position in the job's target list
     * @param result the host's result
     */
    default void hostFinished(int index, HostResult result) {
    }

    /** One line of packet trace in nmap's --packet-trace format ("CONN (0.0312s) TCP ..."). */
    default void packetTrace(String line) {
    }

    /**
     * Whether {@link #packet} should be called. Asked once when a scan starts; an observer that
     * says no costs the scan nothing per packet.
     */
    default boolean wantsPackets() {
        return false;
    }

    /**
     * One packet that crossed the wire: every probe sent and every captured packet that answers
     * one of the scan's probes. Called on the scan thread (sent) or the capture thread (received),
     * possibly at the same time. The bytes are valid only during the call: copy what you keep.
     *
     * @param direction  sent or received
     * @param datagram   buffer holding the IPv4 or IPv6 datagram (IP header first)
     * @param offset     index of the IP header in {@code datagram}
     * @param length     bytes from {@code offset} (a captured frame may carry link padding after
     *                   the datagram: the IP header's length field is the truth)
     * @param epochNanos wall-clock time in nanoseconds since the epoch (from a monotonic clock, so
     *                   differences between packets are exact)
     */
    default void packet(PacketDirection direction, byte[] datagram, int offset, int length, long epochNanos) {
    }

    /** An observer of finished hosts only: {@code consumer} gets each result and its target index. */
    static ScanObserver finishedHosts(ObjIntConsumer<HostResult> consumer) {
        return new ScanObserver() {
            @Override
            public void hostFinished(int index, HostResult result) {
                consumer.accept(result, index);
            }
        };
    }

    /** One observer that forwards every event to each of {@code observers}, in order. */
    static ScanObserver all(ScanObserver... observers) {
        // Mostly none at all (a sampler without packet trace or pcap file asks for every sample).
        for (ScanObserver observer : observers) {
            if (observer != null && observer != NONE) {
                return all(Arrays.asList(observers));
            }
        }
        return NONE;
    }

    /** One observer that forwards every event to each of {@code observers}, in order. */
    static ScanObserver all(List<ScanObserver> observers) {
        List<ScanObserver> real = observers.stream().filter(o -> o != null && o != NONE).toList();
        if (real.isEmpty()) {
            return NONE;
        }
        return real.size() == 1 ? real.get(0) : new CompositeObserver(real);
    }
}
