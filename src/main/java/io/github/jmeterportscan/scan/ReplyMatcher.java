package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.PacketHandler;
import io.github.jmeterportscan.probe.DecodedPacket;
import io.github.jmeterportscan.probe.PacketDecoder;
import io.github.jmeterportscan.probe.ProbeTemplate;
import io.github.jmeterportscan.probe.ReplyClassifier;
import io.github.jmeterportscan.probe.SynCookie;
import io.github.jmeterportscan.probe.Verdict;
import io.github.jmeterportscan.spec.ScanType;

/**
 * Runs on the thread reading the capture: decodes each packet, keeps only those that prove (by their cookie)
 * to answer one of our probes, and hands them to the scan loop. One instance per subscription, as
 * its decode buffer is reused.
 */
final class ReplyMatcher implements PacketHandler {
    private final ScanType type;
    private final RawHostScan[] hosts;
    private final AddressIndex index;
    private final SynCookie cookie;
    private final int sourcePort;
    /** How many source ports, from sourcePort on, carry probes: one per try, or one in all. */
    private final int sourcePortSpan;
    private final ReplyRing inbox;
    private final Runnable wakeUp;
    /** Decoded here for {@link #onPacket}; for {@link #onDecoded}, the capture's. */
    private final DecodedPacket ownPacket = new DecodedPacket();
    private DecodedPacket packet = ownPacket;
    /** Null unless packets are traced; then the frame being matched is kept for it. */
    private final PacketTap tap;
    private byte[] tapFrame;
    private int tapOffset;
    private int tapLength;

    /**
     * @param tryInSourcePort whether try n was sent from {@code sourcePort + n}: then a reply must
     *                        come back to the port of the try its cookie names
     */
    ReplyMatcher(ScanType type, RawHostScan[] hosts, AddressIndex index, SynCookie cookie, int sourcePort,
            boolean tryInSourcePort, ReplyRing inbox, Runnable wakeUp, PacketTap tap) {
        this.type = type;
        this.hosts = hosts;
        this.index = index;
        this.cookie = cookie;
        this.sourcePort = sourcePort;
        this.sourcePortSpan = tryInSourcePort ? SynCookie.MAX_TRIES : 1;
        this.inbox = inbox;
        this.wakeUp = wakeUp;
        this.tap = tap;
    }

    @Override
    public void onPacket(byte[] frame, int ipOffset, int length, long wireNanos) {
        if (PacketDecoder.decode(frame, ipOffset, length, ownPacket)) {
            match(ownPacket, frame, ipOffset, length, wireNanos);
        }
    }

    @Override
    public void onDecoded(DecodedPacket decoded, byte[] frame, int ipOffset, int length, long wireNanos) {
        match(decoded, frame, ipOffset, length, wireNanos);
    }

    private void match(DecodedPacket decoded, byte[] frame, int ipOffset, int length, long wireNanos) {
        packet = decoded;
        if (tap != null) {
            tapFrame = frame;
            tapOffset = ipOffset;
            tapLength = length;
        }
        if (packet.kind == DecodedPacket.TCP) {
            onTcp(wireNanos);
        } else {
            onIcmpError(wireNanos);
        }
    }

    /** The try a reply to our {@code port} belongs to by its port, or -1 when it is none of ours. */
    private int tryOfPort(int port) {
        int offset = port - sourcePort;
        return offset >= 0 && offset < sourcePortSpan ? offset : -1;
    }

    /** The cookie's try when it agrees with the port's (with one source port, any try does). */
    private int agree(int portTry, int cookieTry) {
        return cookieTry >= 0 && (sourcePortSpan == 1 || cookieTry == portTry) ? cookieTry : -1;
    }

    private void onTcp(long wireNanos) {
        if (ProbeTemplate.looksLikeProbe(packet.flags, packet.window)) {
            onProbeLeaving(wireNanos);
            return;
        }
        int portTry = tryOfPort(packet.dstPort);
        if (portTry < 0) {
            return;
        }
        int host = index.find(packet.srcHi, packet.srcLo);
        if (host < 0 || packet.dstHi != hosts[host].sourceHi || packet.dstLo != hosts[host].sourceLo) {
            return;
        }
        Verdict verdict = ReplyClassifier.tcp(type, packet.flags);
        if (verdict == null) {
            return;
        }
        RawHostScan h = hosts[host];
        int port = packet.srcPort;
        // A SYN consumes a sequence number, so its answers ack cookie+1; a RST to an ACK echoes our
        // ack as its seq. nmap accepts ack and seq too for odd stacks; for SYN probes we do not use
        // seq, because on loopback the kernel's own RST to a SYN-ACK carries cookie+1 there.
        // The flow is hashed once; each candidate echo is then a subtraction.
        int base = cookie.base(h.sourceHi, h.sourceLo, h.targetHi, h.targetLo, sourcePort, port);
        int tryNo = agree(portTry, SynCookie.tryOf(base, packet.ack - 1));
        if (tryNo < 0) {
            tryNo = agree(portTry, SynCookie.tryOf(base, packet.ack));
        }
        if (tryNo < 0 && type == ScanType.ACK) {
            tryNo = agree(portTry, SynCookie.tryOf(base, packet.seq));
        }
        if (tryNo >= 0) {
            deliver(host, port, tryNo, verdict, packet.ttl, wireNanos);
        }
    }

    /**
     * One of our probes, seen by the capture as it left: its capture time is when the probe went
     * on the wire, the start of its round trip. Queued for the loop without waking it.
     */
    private void onProbeLeaving(long wireNanos) {
        int host = index.find(packet.dstHi, packet.dstLo);
        int tryNo = tryOfOurProbe(host, packet.srcHi, packet.srcLo);
        if (tryNo >= 0) {
            inbox.addSent(host, packet.dstPort, tryNo, wireNanos);
        }
    }

    /** An ICMP error quoting one of our probes. */
    private void onIcmpError(long wireNanos) {
        int host = index.find(packet.quotedDstHi, packet.quotedDstLo);
        int tryNo = tryOfOurProbe(host, packet.quotedSrcHi, packet.quotedSrcLo);
        if (tryNo < 0) {
            return;
        }
        Verdict verdict = packet.ipv6 ? ReplyClassifier.icmpv6(packet.icmpType, packet.icmpCode)
                : ReplyClassifier.icmpv4(packet.icmpType, packet.icmpCode);
        if (verdict != null) {
            deliver(host, packet.dstPort, tryNo, verdict, packet.ttl, wireNanos);
        }
    }

    /**
     * The try of the probe whose TCP header the packet holds (its own, or the one an ICMP error
     * quotes) when it is ours: sent from {@code (sourceHi, sourceLo)}, our address toward
     * {@code hosts[host]}, from the try's source port, with that try's cookie; otherwise -1.
     */
    private int tryOfOurProbe(int host, long sourceHi, long sourceLo) {
        int portTry = tryOfPort(packet.srcPort);
        if (portTry < 0 || host < 0) {
            return -1;
        }
        RawHostScan h = hosts[host];
        if (sourceHi != h.sourceHi || sourceLo != h.sourceLo) {
            return -1;
        }
        return agree(portTry,
                cookie.decode(h.sourceHi, h.sourceLo, h.targetHi, h.targetLo, sourcePort, packet.dstPort, packet.seq));
    }

    /** Queues a matched reply with the kernel's capture time, the wire time its RTT is measured by. */
    private void deliver(int host, int port, int tryNo, Verdict verdict, int ttl, long nanos) {
        if (tap != null) {
            // Before the loop can see the reply, so that observers get the packet before the verdict.
            tap.received(tapFrame, tapOffset, tapLength, nanos);
        }
        inbox.add(host, port, tryNo, verdict.state().ordinal(), verdict.reason().ordinal(), ttl, nanos);
        wakeUp.run();
    }
}
