package io.github.jmeterportscan.link;

import io.github.jmeterportscan.probe.AddressBits;
import io.github.jmeterportscan.probe.DecodedPacket;
import java.net.InetAddress;

/**
 * Passes on only IP packets to or from one address: the shared capture's filter admits the
 * addresses of every link on the interface, while a link promises its handler only its own, the
 * replies sent to it and the probes it sends.
 */
final class AddressedHandler implements PacketHandler {
    private final byte[] address;
    private final long addressHi;
    private final long addressLo;
    private final PacketHandler next;

    AddressedHandler(InetAddress address, PacketHandler next) {
        this.address = address.getAddress();
        this.addressHi = AddressBits.hi(address);
        this.addressLo = AddressBits.lo(address);
        this.next = next;
    }

    @Override
    public void onDecoded(DecodedPacket decoded, byte[] frame, int ipOffset, int length, long wireNanos) {
        if ((decoded.dstHi == addressHi && decoded.dstLo == addressLo)
                || (decoded.srcHi == addressHi && decoded.srcLo == addressLo)) {
            next.onDecoded(decoded, frame, ipOffset, length, wireNanos);
        }
    }

    @Override
    public void onPacket(byte[] frame, int ipOffset, int length, long wireNanos) {
        int version = (frame[ipOffset] & 0xff) >>> 4;
        int source;
        if (version == 4 && address.length == 4) {
            source = ipOffset + 12;
        } else if (version == 6 && address.length == 16) {
            source = ipOffset + 8;
        } else {
            return;
        }
        int destination = source + address.length;
        if (destination + address.length > length) {
            return;
        }
        if (matches(frame, destination) || matches(frame, source)) {
            next.onPacket(frame, ipOffset, length, wireNanos);
        }
    }

    private boolean matches(byte[] frame, int at) {
        for (int i = 0; i < address.length; i++) {
            if (frame[at + i] != address[i]) {
                return false;
            }
        }
        return true;
    }
}
