package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.probe.Ipv6ExtensionHeaders;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decodes a traced datagram's headers for display: IPv4/IPv6, TCP with its options, ICMP/ICMPv6
 * with the datagram an error quotes. Off the hot path (it allocates freely); tolerant of
 * truncation, as ICMP quotes often are.
 */
final class DatagramParser {
    private static final int MAX_EXTENSION_HEADERS = 8;

    private DatagramParser() {
    }

    /**
     * @throws IllegalArgumentException when the bytes do not start with an IPv4 or IPv6 header
     */
    static DecodedDatagram parse(byte[] b) {
        return parse(b, 0, b.length).orElseThrow(() -> new IllegalArgumentException(
                "not an IP datagram (" + b.length + " bytes)"));
    }

    private static Optional<DecodedDatagram> parse(byte[] b, int off, int end) {
        if (end - off < 1) {
            return Optional.empty();
        }
        int version = (b[off] & 0xf0) >>> 4;
        IpHeader ip = version == 4 ? ipv4(b, off, end) : version == 6 ? ipv6(b, off, end) : null;
        if (ip == null) {
            return Optional.empty();
        }
        int payload = off + ip.headerLength();
        int payloadEnd = Math.min(end, version == 4 ? off + Math.max(ip.length(), ip.headerLength())
                : off + 40 + ip.length());
        if (ip.length() == 0) {
            payloadEnd = end;
        }
        Optional<TcpSegment> tcp = Optional.empty();
        Optional<IcmpMessage> icmp = Optional.empty();
        if (!ip.fragment()) {
            if (ip.protocol() == IpHeader.TCP) {
                tcp = tcp(b, payload, payloadEnd);
            } else if (ip.protocol() == IpHeader.ICMP || ip.protocol() == IpHeader.ICMPV6) {
                icmp = icmp(b, payload, payloadEnd, ip.protocol() == IpHeader.ICMPV6);
            }
        }
        return Optional.of(new DecodedDatagram(ip, tcp, icmp));
    }

    private static IpHeader ipv4(byte[] b, int off, int end) {
        if (end - off < 20) {
            return null;
        }
        int headerLength = (b[off] & 0x0f) * 4;
        if (headerLength < 20) {
            return null;
        }
        int fragmentOffset = u16(b, off + 6) & 0x1fff;
        return new IpHeader(4, address(b, off + 12, 4), address(b, off + 16, 4), u8(b, off + 8), u16(b, off + 4),
                u16(b, off + 2), 0, u8(b, off + 9), headerLength, fragmentOffset != 0);
    }

    private static IpHeader ipv6(byte[] b, int off, int end) {
        if (end - off < 40) {
            return null;
        }
        int next = u8(b, off + 6);
        int at = off + 40;
        boolean fragment = false;
        for (int hops = 0; hops < MAX_EXTENSION_HEADERS; hops++) {
            if (Ipv6ExtensionHeaders.hasLengthField(next)) {
                if (end - at < Ipv6ExtensionHeaders.MIN_LENGTH) {
                    break;
                }
                int length = Ipv6ExtensionHeaders.length(u8(b, at + 1));
                next = u8(b, at);
                at += length;
            } else if (next == Ipv6ExtensionHeaders.FRAGMENT) {
                if (end - at < Ipv6ExtensionHeaders.FRAGMENT_LENGTH) {
                    break;
                }
                fragment = (u16(b, at + 2) & Ipv6ExtensionHeaders.FRAGMENT_OFFSET_MASK) != 0;
                next = u8(b, at);
                at += Ipv6ExtensionHeaders.FRAGMENT_LENGTH;
            } else {
                break;
            }
        }
        int flow = (int) (u32(b, off) & 0xfffff);
        return new IpHeader(6, address(b, off + 8, 16), address(b, off + 24, 16), u8(b, off + 7), 0,
                u16(b, off + 4), flow, next, at - off, fragment);
    }

    private static Optional<TcpSegment> tcp(byte[] b, int off, int end) {
        int available = end - off;
        if (available < 8) {
            return Optional.empty();
        }
        int sport = u16(b, off);
        int dport = u16(b, off + 2);
        long seq = u32(b, off + 4);
        if (available < 20) {
            return Optional.of(new TcpSegment(sport, dport, seq, 0, 0, 0, false, 0, List.of(), true));
        }
        int headerLength = ((b[off + 12] & 0xf0) >>> 4) * 4;
        List<TcpOption> options = new ArrayList<>();
        boolean readable = true;
        if (headerLength > 20) {
            readable = headerLength <= available && options(b, off + 20, off + headerLength, options);
        }
        int payload = Math.max(0, available - Math.max(20, headerLength));
        return Optional.of(new TcpSegment(sport, dport, seq, u32(b, off + 8), u8(b, off + 13), u16(b, off + 14),
                true, payload, readable ? options : List.of(), readable));
    }

    /** Reads options into {@code out}; false when one is malformed or unknown (nmap gives up then). */
    private static boolean options(byte[] b, int off, int end, List<TcpOption> out) {
        while (off < end) {
            int kind = u8(b, off);
            if (kind == TcpOption.END || kind == TcpOption.NOP) {
                out.add(new TcpOption(kind, List.of()));
                off++;
                continue;
            }
            if (end - off < 2) {
                return false;
            }
            int length = u8(b, off + 1);
            if (length < 2 || end - off < length) {
                return false;
            }
            List<Long> values = switch (kind) {
                case TcpOption.MSS -> length == 4 ? List.of((long) u16(b, off + 2)) : null;
                case TcpOption.WINDOW_SCALE -> length == 3 ? List.of((long) u8(b, off + 2)) : null;
                case TcpOption.SACK_PERMITTED -> length == 2 ? List.<Long>of() : null;
                case TcpOption.TIMESTAMPS -> length == 10 ? List.of(u32(b, off + 2), u32(b, off + 6)) : null;
                case TcpOption.SACK -> sackBlocks(b, off + 2, length - 2);
                default -> null;
            };
            if (values == null) {
                return false;
            }
            out.add(new TcpOption(kind, values));
            off += length;
        }
        return true;
    }

    private static List<Long> sackBlocks(byte[] b, int off, int length) {
        if (length == 0 || length % 8 != 0) {
            return null;
        }
        List<Long> edges = new ArrayList<>();
        for (int i = 0; i < length; i += 4) {
            edges.add(u32(b, off + i));
        }
        return edges;
    }

    private static Optional<IcmpMessage> icmp(byte[] b, int off, int end, boolean v6) {
        if (end - off < 8) {
            return Optional.empty();
        }
        int type = u8(b, off);
        int code = u8(b, off + 1);
        boolean error = v6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        Optional<DecodedDatagram> quoted = error ? parse(b, off + 8, end) : Optional.empty();
        return Optional.of(new IcmpMessage(v6, type, code, quoted));
    }

    private static InetAddress address(byte[] b, int off, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes is always valid", e);
        }
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }
}
