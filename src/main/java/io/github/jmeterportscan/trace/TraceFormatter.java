package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.spec.AddressFormat;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A per-port packet trace for people, in the spirit of Wireshark's packet list: number, time since
 * the port's first packet, direction, endpoints, protocol, TTL, length and an Info column written
 * as Wireshark writes it ("45678 → 22 [SYN, ACK] Seq=… Ack=… Win=… Len=0 MSS=1460"; "Destination
 * unreachable (Port unreachable)" followed by the probe the error quotes). Sequence numbers are
 * the absolute ones on the wire (Wireshark shows relative ones by default), because the probe's
 * sequence number is what ties a reply to it.
 *
 * <pre>
 * 198.18.50.2 port 81/tcp: closed (reset, ttl 64)
 * No. Time     Direction Source            Destination       Protocol TTL Length Info
 * 1   0.000000 sent      198.18.50.1:41234 198.18.50.2:81    TCP      64  44     41234 → 81 [SYN] Seq=… Win=1024 Len=0 MSS=1460
 * 2   0.000061 received  198.18.50.2:81    198.18.50.1:41234 TCP      64  40     81 → 41234 [RST, ACK] Seq=0 Ack=… Win=0 Len=0
 * </pre>
 */
public final class TraceFormatter {
    private static final String[] HEADINGS = {"No.", "Time", "Direction", "Source", "Destination", "Protocol", "TTL",
        "Length", "Info"};

    private TraceFormatter() {
    }

    /** Every trace, one block each, separated by a blank line. */
    public static String format(List<PortTrace> traces) {
        StringBuilder b = new StringBuilder();
        for (PortTrace t : traces) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(format(t));
        }
        return b.toString();
    }

    /** One port: a heading with the verdict, the packet table, and a line saying what it means. */
    public static String format(PortTrace trace) {
        StringBuilder b = new StringBuilder();
        b.append(AddressFormat.toNmapString(trace.target())).append(" port ").append(trace.port()).append("/tcp");
        trace.result().ifPresent(r -> b.append(": ").append(verdict(r)));
        b.append('\n');
        if (trace.packets().isEmpty()) {
            b.append(trace.result().filter(TraceFormatter::decidedByConnect)
                    .map(r -> "connect() to " + endpoint(trace.target(), trace.port()) + ": " + r.state().nmapName()
                            + (r.reason() == io.github.jmeterportscan.result.Reason.SYN_ACK
                                    ? " (handshake done by the kernel; its packets were not captured)\n"
                                    : " (refused; the kernel's packets were not captured)\n"))
                    .orElse("(no packets were traced for this port)\n"));
        } else {
            table(trace, b);
        }
        trace.result().map(TraceFormatter::meaning).ifPresent(m -> b.append(m).append('\n'));
        return b.toString();
    }

    /** A connect scan's verdicts come from connect() itself: no reply TTL, reasons syn-ack or conn-refused. */
    private static boolean decidedByConnect(PortResult r) {
        return r.reasonTtl() == 0 && (r.reason() == io.github.jmeterportscan.result.Reason.SYN_ACK
                || r.reason() == io.github.jmeterportscan.result.Reason.CONN_REFUSED);
    }

    private static String verdict(PortResult r) {
        StringBuilder b = new StringBuilder(r.state().nmapName()).append(" (").append(r.reason().nmapName());
        if (r.reasonTtl() > 0) {
            b.append(", ttl ").append(r.reasonTtl());
        }
        if (r.hasRtt()) {
            b.append(String.format(Locale.ROOT, ", rtt %.3f ms", r.rttMicros() / 1000.0));
        }
        return b.append(')').toString();
    }

    /** The three answers a SYN scan knows, in a sentence; nothing for the rest. */
    private static String meaning(PortResult r) {
        if (decidedByConnect(r)) {
            return r.reason() == io.github.jmeterportscan.result.Reason.SYN_ACK
                    ? "connect() completed: the kernel made the three-way handshake, and the scanner closed the "
                    + "connection at once with RST."
                    : "connect() was refused: the host answered the kernel's SYN with RST.";
        }
        return switch (r.reason()) {
            case SYN_ACK -> r.state() == PortState.OPEN
                    ? "The port answered the SYN with SYN, ACK: something listens. (The scanning host's kernel, "
                    + "which never opened this connection, resets it; that RST is not part of the scan.)" : null;
            case RESET -> r.state() == PortState.CLOSED
                    ? "The host answered the SYN with RST: reachable, but nothing listens on the port."
                    : "The host answered with RST: the port is reachable (unfiltered).";
            case NO_RESPONSE -> "No answer to any probe (every retransmission timed out): a firewall drops them.";
            default -> r.state() == PortState.FILTERED && r.reasonTtl() > 0
                    ? "An ICMP error came back instead of a TCP answer: a firewall or router rejects the probe."
                    : null;
        };
    }

    private static void table(PortTrace trace, StringBuilder out) {
        long first = trace.packets().get(0).epochNanos();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        int n = 1;
        for (TracedPacket p : trace.packets()) {
            rows.add(row(n++, p, first));
        }
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 1));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String[] row(int number, TracedPacket p, long first) {
        String time = String.format(Locale.ROOT, "%.6f", (p.epochNanos() - first) / 1e9);
        String direction = p.direction() == PacketDirection.SENT ? "sent" : "received";
        DecodedDatagram d;
        try {
            d = p.decode();
        } catch (IllegalArgumentException e) {
            return new String[] {String.valueOf(number), time, direction, "?", "?", "?", "", String.valueOf(p.length()),
                "not an IP datagram"};
        }
        IpHeader ip = d.ip();
        String source = endpoint(ip.source(), d.tcp().map(TcpSegment::sourcePort).orElse(-1));
        String destination = endpoint(ip.destination(), d.tcp().map(TcpSegment::destinationPort).orElse(-1));
        String protocol = ip.protocol() == IpHeader.TCP ? "TCP" : ip.protocol() == IpHeader.ICMP ? "ICMP"
                : ip.protocol() == IpHeader.ICMPV6 ? "ICMPv6" : String.valueOf(ip.protocol());
        return new String[] {String.valueOf(number), time, direction, source, destination, protocol,
            String.valueOf(ip.ttl()), String.valueOf(p.length()), info(d)};
    }

    private static String endpoint(InetAddress address, int port) {
        String a = AddressFormat.toNmapString(address);
        if (port < 0) {
            return a;
        }
        return (address instanceof Inet6Address ? "[" + a + "]" : a) + ":" + port;
    }

    static String info(DecodedDatagram d) {
        if (d.tcp().isPresent()) {
            return tcpInfo(d.tcp().get());
        }
        if (d.icmp().isPresent()) {
            IcmpMessage m = d.icmp().get();
            String text = m.ipv6() ? IcmpTexts.wiresharkIcmpv6(m.type(), m.code())
                    : IcmpTexts.wiresharkIcmp(m.type(), m.code());
            return m.quoted().map(q -> text + ", quoting " + quote(q)).orElse(text);
        }
        return "";
    }

    private static String quote(DecodedDatagram q) {
        String src = AddressFormat.toNmapString(q.ip().source());
        String dst = AddressFormat.toNmapString(q.ip().destination());
        if (q.tcp().isEmpty()) {
            return src + " → " + dst;
        }
        TcpSegment t = q.tcp().get();
        String probe = endpoint(q.ip().source(), t.sourcePort()) + " → " + endpoint(q.ip().destination(),
                t.destinationPort());
        return t.complete() ? probe + " " + t.wiresharkFlags() + " Seq=" + t.seq() : probe + " Seq=" + t.seq();
    }

    private static String tcpInfo(TcpSegment t) {
        StringBuilder b = new StringBuilder();
        b.append(t.sourcePort()).append(" → ").append(t.destinationPort()).append(' ').append(t.wiresharkFlags())
                .append(" Seq=").append(t.seq());
        if (t.has(TcpSegment.ACK)) {
            b.append(" Ack=").append(t.ack());
        }
        b.append(" Win=").append(t.window()).append(" Len=").append(t.payloadLength());
        for (TcpOption o : t.options()) {
            switch (o.kind()) {
                case TcpOption.MSS -> b.append(" MSS=").append(o.values().get(0));
                case TcpOption.WINDOW_SCALE -> b.append(" WS=").append(1L << Math.min(14, o.values().get(0)));
                case TcpOption.SACK_PERMITTED -> b.append(" SACK_PERM");
                case TcpOption.TIMESTAMPS -> b.append(" TSval=").append(o.values().get(0)).append(" TSecr=")
                        .append(o.values().get(1));
                case TcpOption.SACK -> b.append(" SLE=").append(o.values().get(0)).append(" SRE=")
                        .append(o.values().get(1));
                default -> {
                    // NOP and end-of-list: Wireshark's Info column leaves them out too.
                }
            }
        }
        return b.toString();
    }
}
