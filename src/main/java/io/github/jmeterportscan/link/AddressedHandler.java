package io.github.jmeterportscan.link;

import java.net.InetAddress;

/**
 * Passes on only IP packets whose destination is one address: the shared capture's filter admits
 * the addresses of every link on the interface, while a link promises its handler only its own.
 */
final class AddressedHandler implements PacketHandler {
    private final byte[] address;
    private final PacketHandler next;

    AddressedHandler(InetAddress destination, PacketHandler next) {
        this.address = destination.getAddress();
        this.next = next;
    }

    @Override
    public void onPacket(byte[] frame, int ipOffset, int length) {
        int version = (frame[ipOffset] & 0xff) >>> 4;
        int at;
        if (version == 4 && address.length == 4) {
            at = ipOffset + 16;
        } else if (version == 6 && address.length == 16) {
            at = ipOffset + 24;
        } else {
            return;
        }
        if (at + address.length > length) {
            return;
        }
        for (int i = 0; i < address.length; i++) {
            if (frame[at + i] != address[i]) {
                return;
            }
        }
        next.onPacket(frame, ipOffset, length);
    }
}
