package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.scan.PacketDirection;
import io.github.jmeterportscan.spec.AddressFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * nmap 7.93's --packet-trace lines for raw packets ("SENT (0.0386s) TCP 127.0.0.1:58286 >
 * 127.0.0.1:22 S ttl=42 id=52125 iplen=44  seq=3542131224 win=1024 <mss 1460>"), at nmap's default
 * detail level. The spacing quirks (two spaces before seq, a trailing space when a segment has no
 * options, "(type=3/code=3) ]") are nmap's and kept, so that traces of the two tools line up.
 */
public final class NmapPacketFormat {
    private NmapPacketFormat() {
    }

    /**
     * One trace line.
     *
     * @param startEpochNanos the time the trace counts from (nmap: program start)
     */
    public static String line(TracedPacket packet, long startEpochNanos) {
        String what;
        try {
            what = describe(packet.decode());
        } catch (IllegalArgumentException e) {
            what = "BOGUS!  Can't parse supposed IP packet";
        }
        return String.format(Locale.ROOT, "%s (%.4fs) %s", packet.direction() == PacketDirection.SENT ? "SENT" : "RCVD",
                (packet.epochNanos() - startEpochNanos) / 1e9, what);
    }

    /** The part after the time: nmap's ippackethdrinfo() at low detail. */
    public static String describe(DecodedDatagram d) {
        IpHeader ip = d.ip();
        String src = AddressFormat.toNmapString(ip.source());
        String dst = AddressFormat.toNmapString(ip.destination());
        String ipInfo = ipInfo(ip);
        if (ip.protocol() == IpHeader.TCP) {
            Optional<TcpSegment> t = d.tcp().filter(TcpSegment::complete);
            if (t.isEmpty()) {
                return String.format(Locale.ROOT, "TCP %s:?? > %s:?? ?? %s (incomplete)", src, dst, ipInfo);
            }
            TcpSegment tcp = t.get();
            return String.format(Locale.ROOT, "TCP %s:%d > %s:%d %s %s seq=%d win=%d %s", src, tcp.sourcePort(), dst,
                    tcp.destinationPort(), tcp.nmapFlags(), ipInfo, tcp.seq(), tcp.window(), options(tcp));
        }
        if (ip.protocol() == IpHeader.ICMP) {
            return icmp(d, src, dst, ipInfo);
        }
        if (ip.protocol() == IpHeader.ICMPV6) {
            return d.icmp().map(m -> String.format(Locale.ROOT, "ICMPv6 (58) %s > %s (type=%d/code=%d) %s", src, dst,
                    m.type(), m.code(), ipInfo))
                    .orElse(String.format(Locale.ROOT, "ICMPv6 (58) %s > %s (type=?/code=?) %s", src, dst, ipInfo));
        }
        return String.format(Locale.ROOT, "Unknown protocol (%d) %s > %s: %s", ip.protocol(), src, dst, ipInfo);
    }

    private static String ipInfo(IpHeader ip) {
        if (ip.isIpv6()) {
            return String.format(Locale.ROOT, "hopl=%d flow=%x payloadlen=%d", ip.ttl(), ip.flowLabel(), ip.length());
        }
        // nmap leaves a space for IP options even when there are none.
        String options = ip.headerLength() == 20 ? "" : "ipopts={" + (ip.headerLength() - 20) + " bytes}";
        return String.format(Locale.ROOT, "ttl=%d id=%d iplen=%d %s", ip.ttl(), ip.id(), ip.length(), options);
    }

    /** "<mss 1460,sackOK,timestamp 1 0,nop,wscale 7>", or "" (also when nmap could not read them). */
    static String options(TcpSegment tcp) {
        if (tcp.options().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<");
        for (TcpOption o : tcp.options()) {
            if (b.length() > 1) {
                b.append(',');
            }
            switch (o.kind()) {
                case TcpOption.END -> b.append("eol");
                case TcpOption.NOP -> b.append("nop");
                case TcpOption.MSS -> b.append("mss ").append(o.values().get(0));
                case TcpOption.WINDOW_SCALE -> b.append("wscale ").append(o.values().get(0));
                case TcpOption.SACK_PERMITTED -> b.append("sackOK");
                case TcpOption.TIMESTAMPS -> b.append("timestamp ").append(o.values().get(0)).append(' ')
                        .append(o.values().get(1));
                case TcpOption.SACK -> {
                    b.append("sack ").append(o.values().size() / 2).append(' ');
                    for (int i = 0; i < o.values().size(); i += 2) {
                        b.append('{').append(o.values().get(i)).append(':').append(o.values().get(i + 1)).append('}');
                    }
                }
                default -> {
                    return "";
                }
            }
        }
        return b.append('>').toString();
    }

    private static String icmp(DecodedDatagram d, String src, String dst, String ipInfo) {
        if (d.icmp().isEmpty()) {
            return String.format(Locale.ROOT, "ICMP %s > %s [??] %s", src, dst, ipInfo);
        }
        IcmpMessage m = d.icmp().get();
        String what = m.type() == 3 ? unreachable(m) : IcmpTexts.nmapName(m.type(), m.code());
        return String.format(Locale.ROOT, "ICMP [%s > %s %s (type=%d/code=%d) ] IP [%s]", src, dst, what, m.type(),
                m.code(), ipInfo);
    }

    private static String unreachable(IcmpMessage m) {
        if (m.quoted().isEmpty()) {
            return "Destination unreachable";
        }
        DecodedDatagram q = m.quoted().get();
        String quotedDst = AddressFormat.toNmapString(q.ip().destination());
        return switch (m.code()) {
            case 0 -> "Network " + quotedDst + " unreachable";
            case 1 -> "Host " + quotedDst + " unreachable";
            case 2 -> "Protocol " + q.ip().protocol() + " unreachable";
            case 3 -> q.tcp().map(t -> "Port " + t.destinationPort() + " unreachable").orElse("Port unreachable");
            case 6 -> "Destination network " + quotedDst + " unknown";
            case 7 -> "Destination host " + quotedDst + " unknown";
            case 9 -> "Destination network " + quotedDst + " administratively prohibited";
            case 10 -> "Destination host " + quotedDst + " administratively prohibited";
            case 11 -> "Network " + quotedDst + " unreachable for TOS";
            case 12 -> "Host " + quotedDst + " unreachable for TOS";
            default -> IcmpTexts.nmapName(3, m.code());
        };
    }
}
