package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.scan.PacketDirection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sorts the packets of a scan by the port they concern. A probe concerns its destination port; a
 * TCP reply its source port; an ICMP error the destination port of the probe it quotes.
 */
public final class PortTraces {
    private PortTraces() {
    }

    /** One trace per port that has packets, ordered by host (first seen) then port; no verdicts. */
    public static List<PortTrace> of(List<TracedPacket> packets) {
        return of(packets, List.of());
    }

    /**
     * One trace per port that has packets or a result, with the verdicts from {@code hosts}; hosts
     * in the order given (then any others as first seen), ports ascending.
     */
    public static List<PortTrace> of(List<TracedPacket> packets, List<HostResult> hosts) {
        Map<InetAddress, Map<Integer, List<TracedPacket>>> byHost = new LinkedHashMap<>();
        for (HostResult host : hosts) {
            byHost.computeIfAbsent(host.target().address(), a -> new LinkedHashMap<>());
        }
        List<TracedPacket> ordered = new ArrayList<>(packets);
        ordered.sort(Comparator.comparingLong(TracedPacket::epochNanos).thenComparing(TracedPacket::direction));
        for (TracedPacket packet : ordered) {
            key(packet).ifPresent(k -> byHost.computeIfAbsent(k.host, a -> new LinkedHashMap<>())
                    .computeIfAbsent(k.port, p -> new ArrayList<>()).add(packet));
        }
        Map<InetAddress, Map<Integer, PortResult>> results = new LinkedHashMap<>();
        for (HostResult host : hosts) {
            Map<Integer, PortResult> ports = results.computeIfAbsent(host.target().address(), a -> new LinkedHashMap<>());
            host.ports().forEach(r -> ports.put(r.port(), r));
        }
        List<PortTrace> traces = new ArrayList<>();
        byHost.forEach((host, ports) -> {
            Map<Integer, PortResult> verdicts = results.getOrDefault(host, Map.of());
            java.util.TreeSet<Integer> all = new java.util.TreeSet<>(ports.keySet());
            all.addAll(verdicts.keySet());
            for (int port : all) {
                traces.add(new PortTrace(host, port, ports.getOrDefault(port, List.of()),
                        Optional.ofNullable(verdicts.get(port))));
            }
        });
        return List.copyOf(traces);
    }

    /** The trace of one port, empty of packets if none concern it. */
    public static PortTrace of(List<TracedPacket> packets, InetAddress host, int port, Optional<PortResult> result) {
        List<TracedPacket> mine = new ArrayList<>();
        for (TracedPacket p : packets) {
            key(p).filter(k -> k.host.equals(host) && k.port == port).ifPresent(k -> mine.add(p));
        }
        mine.sort(Comparator.comparingLong(TracedPacket::epochNanos).thenComparing(TracedPacket::direction));
        return new PortTrace(host, port, mine, result);
    }

    private record Key(InetAddress host, int port) {
    }

    private static Optional<Key> key(TracedPacket packet) {
        DecodedDatagram d;
        try {
            d = packet.decode();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean sent = packet.direction() == PacketDirection.SENT;
        if (d.tcp().isPresent()) {
            TcpSegment t = d.tcp().get();
            return Optional.of(sent ? new Key(d.ip().destination(), t.destinationPort())
                    : new Key(d.ip().source(), t.sourcePort()));
        }
        return d.icmp().flatMap(IcmpMessage::quoted)
                .flatMap(q -> q.tcp().map(t -> new Key(q.ip().destination(), t.destinationPort())));
    }
}
