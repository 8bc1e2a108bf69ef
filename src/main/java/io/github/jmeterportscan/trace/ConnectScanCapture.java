package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.link.LinkException;
import io.github.jmeterportscan.link.NetInterface;
import io.github.jmeterportscan.link.Route;
import io.github.jmeterportscan.link.Routes;
import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.Target;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packets of a connect scan, which the kernel makes (SYN, SYN-ACK, the handshake's ACK, the RST
 * of the abortive close), captured so they can be traced like a raw scan's. Needs raw capture
 * rights; without them a connect scan's trace is its CONN lines only.
 *
 * <p>One capture per interface the targets route through, both directions, filtered to the
 * targets; packets are kept when they go to or come from a scanned port (or are an ICMP error
 * quoting one). A packet toward the scanned port counts as sent, one from it as received. Other
 * connections to the same ports at the same time (a load test hitting the same service) cannot
 * be told apart from the scan's own and are reported too.
 */
public final class ConnectScanCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectScanCapture.class);
    private static final int SNAPLEN = 256;
    private static final int BUFFER_BYTES = 8 << 20;
    /** Replies and the closing RSTs still on their way when the scan returns. */
    private static final long SETTLE_MILLIS = 100;
    private static final long STOP_TIMEOUT_MILLIS = 2_000;

    private final List<Loop> loops;

    private ConnectScanCapture(List<Loop> loops) {
        this.loops = loops;
    }

    /**
     * Starts capturing; returns once the captures run, so a connect made afterwards is seen.
     *
     * @throws TraceException when an interface cannot be captured on (no rights, no libpcap)
     */
    public static ConnectScanCapture start(List<Target> targets, PortSet ports, Optional<String> interfaceName,
            ScanObserver observer) throws TraceException {
        Map<String, List<InetAddress>> byInterface = new LinkedHashMap<>();
        Map<String, NetInterface> interfaces = new LinkedHashMap<>();
        for (Target target : targets) {
            Route route;
            try {
                route = Routes.lookup(target.address(), interfaceName);
            } catch (LinkException e) {
                throw new TraceException("Cannot capture the connect scan's packets: " + e.getMessage(), e);
            }
            String name = route.netInterface().name();
            interfaces.put(name, route.netInterface());
            byInterface.computeIfAbsent(name, n -> new ArrayList<>()).add(target.address());
        }
        Set<InetAddress> targetSet = targets.stream().map(Target::address).collect(Collectors.toSet());
        List<Loop> loops = new ArrayList<>();
        try {
            for (Map.Entry<String, List<InetAddress>> e : byInterface.entrySet()) {
                loops.add(Loop.open(interfaces.get(e.getKey()), e.getValue(), targetSet, ports, observer));
            }
        } catch (TraceException e) {
            loops.forEach(Loop::stop);
            throw e;
        }
        loops.forEach(Loop::begin);
        return new ConnectScanCapture(loops);
    }

    /** Waits briefly for the last packets of the scan, then stops every capture. */
    @Override
    public void close() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.forEach(Loop::stop);
    }

    /** One pcap handle and its receive thread. */
    private static final class Loop {
        private final PcapHandle handle;
        private final Set<InetAddress> targets;
        private final PortSet ports;
        private final ScanObserver observer;
        private final Thread thread;

        private Loop(PcapHandle handle, Set<InetAddress> targets, PortSet ports, ScanObserver observer, String name) {
            this.handle = handle;
            this.targets = targets;
            this.ports = ports;
            this.observer = observer;
            this.thread = new Thread(this::receive, "portscan-connect-capture-" + name);
            this.thread.setDaemon(true);
        }

        static Loop open(NetInterface nif, List<InetAddress> hosts, Set<InetAddress> targets, PortSet ports,
                ScanObserver observer) throws TraceException {
            PcapHandle handle;
            try {
                handle = new PcapHandle.Builder(nif.name()).snaplen(SNAPLEN)
                        .promiscuousMode(PromiscuousMode.NONPROMISCUOUS).immediateMode(true).timeoutMillis(100)
                        .bufferSize(BUFFER_BYTES)
                        // On lo every packet shows up twice, once each way: keep one copy.
                        .direction(nif.kind() == NetInterface.Kind.LOOPBACK ? PcapHandle.PcapDirection.IN
                                : PcapHandle.PcapDirection.INOUT)
                        .build();
            } catch (PcapNativeException | RuntimeException | UnsatisfiedLinkError e) {
                throw new TraceException("Cannot capture the connect scan's packets on " + nif.name() + ": "
                        + e.getMessage(), e);
            }
            if (handle.getDlt().value() != DataLinkType.EN10MB.value()) {
                handle.close();
                throw new TraceException("Cannot capture the connect scan's packets on " + nif.name()
                        + ": link type " + handle.getDlt() + " is not supported");
            }
            String filter = "(tcp or icmp or icmp6) and (" + hosts.stream()
                    .map(a -> "host " + a.getHostAddress().replaceAll("%.*$", "")).collect(Collectors.joining(" or "))
                    + ")";
            try {
                handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new TraceException("Cannot filter the connect scan's packets on " + nif.name() + ": "
                        + e.getMessage(), e);
            }
            return new Loop(handle, targets, ports, observer, nif.name());
        }

        void begin() {
            thread.start();
        }

        void stop() {
            try {
                handle.breakLoop();
            } catch (NotOpenException e) {
                // Closed already.
            }
            if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
                handle.close();
                return;
            }
            try {
                thread.join(STOP_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void receive() {
            try {
                handle.loop(-1, this::onFrame);
            } catch (InterruptedException e) {
                // breakLoop(): the scan is over.
            } catch (PcapNativeException | NotOpenException e) {
                LOG.warn("Capturing the connect scan's packets stopped: {}", e.getMessage());
            } finally {
                handle.close();
            }
        }

        private void onFrame(byte[] frame) {
            int offset = ethernetPayload(frame);
            if (offset < 0) {
                return;
            }
            java.sql.Timestamp ts = handle.getTimestamp();
            long epochNanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
            PacketDirection direction;
            try {
                direction = directionOf(DatagramParser.parse(java.util.Arrays.copyOfRange(frame, offset,
                        frame.length)));
            } catch (IllegalArgumentException e) {
                return;
            }
            if (direction != null) {
                observer.packet(direction, frame, offset, frame.length - offset, epochNanos);
            }
        }

        /** Sent when it goes to a scanned port, received when it comes from one; null when neither. */
        private PacketDirection directionOf(DecodedDatagram d) {
            if (d.tcp().isPresent()) {
                TcpSegment t = d.tcp().get();
                if (targets.contains(d.ip().destination()) && ports.contains(t.destinationPort())) {
                    return PacketDirection.SENT;
                }
                if (targets.contains(d.ip().source()) && ports.contains(t.sourcePort())) {
                    return PacketDirection.RECEIVED;
                }
                return null;
            }
            return d.icmp().flatMap(IcmpMessage::quoted)
                    .filter(q -> q.tcp().isPresent() && targets.contains(q.ip().destination())
                            && ports.contains(q.tcp().get().destinationPort()))
                    .map(q -> PacketDirection.RECEIVED).orElse(null);
        }

        /** The IP header's offset in an Ethernet frame (one VLAN tag allowed), or -1 for other frames. */
        private static int ethernetPayload(byte[] frame) {
            if (frame.length < 14) {
                return -1;
            }
            int type = DatagramParser.u16(frame, 12);
            int offset = 14;
            if (type == 0x8100 && frame.length >= 18) {
                type = DatagramParser.u16(frame, 16);
                offset = 18;
            }
            return type == 0x0800 || type == 0x86dd ? offset : -1;
        }
    }
}
