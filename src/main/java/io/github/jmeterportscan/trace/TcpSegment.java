package io.github.jmeterportscan.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The TCP header of a traced datagram, or the part of it an ICMP error quotes.
 *
 * @param sourcePort      source port
 * @param destinationPort destination port
 * @param seq             sequence number (unsigned)
 * @param ack             acknowledgement number (unsigned; meaningful when ACK is set)
 * @param flags           the flag bits (see the constants)
 * @param window          window size
 * @param complete        false when only the first 8 bytes were there (a short ICMP quote): then
 *                        flags, ack, window and options are unknown (0 / empty)
 * @param payloadLength   bytes of data after the header
 * @param options         the options, in order
 * @param optionsReadable false when the options could not be parsed (nmap then prints none)
 */
public record TcpSegment(int sourcePort, int destinationPort, long seq, long ack, int flags, int window,
        boolean complete, int payloadLength, List<TcpOption> options, boolean optionsReadable) {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public TcpSegment {
        options = List.copyOf(options);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Flags as Wireshark's Info column writes them: "[SYN, ACK]", "[RST, ACK]", "[<None>]". */
    public String wiresharkFlags() {
        List<String> names = new ArrayList<>();
        // Wireshark's order: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.
        String[] all = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int bit = 0; bit < all.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                names.add(all[bit]);
            }
        }
        return names.isEmpty() ? "[<None>]" : "[" + String.join(", ", names) + "]";
    }

    /** Flags as nmap's packet trace writes them (tcpdump order): "S", "SA", "RA". */
    public String nmapFlags() {
        StringBuilder b = new StringBuilder(8);
        if (has(SYN)) {
            b.append('S');
        }
        if (has(FIN)) {
            b.append('F');
        }
        if (has(RST)) {
            b.append('R');
        }
        if (has(PSH)) {
            b.append('P');
        }
        if (has(ACK)) {
            b.append('A');
        }
        if (has(URG)) {
            b.append('U');
        }
        if (has(ECE)) {
            b.append('E');
        }
        if (has(CWR)) {
            b.append('C');
        }
        return b.toString();
    }
}
