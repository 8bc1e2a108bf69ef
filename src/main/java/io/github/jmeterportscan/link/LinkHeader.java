package io.github.jmeterportscan.link;

/**
 * Where the IP header starts in a captured frame, per libpcap link type (DLT). Decided once per
 * handle, except for Ethernet where VLAN tags make the offset vary per frame.
 */
enum LinkHeader {
    ETHERNET(14),
    LINUX_SLL(16),
    LINUX_SLL2(20),
    BSD_LOOPBACK(4),
    RAW(0);

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;

    private final int fixedLength;

    LinkHeader(int fixedLength) {
        this.fixedLength = fixedLength;
    }

    /** @return null for link types we cannot read IP from */
    static LinkHeader forDlt(int dlt) {
        return switch (dlt) {
            case 1 -> ETHERNET; // DLT_EN10MB
            case 113 -> LINUX_SLL;
            case 276 -> LINUX_SLL2;
            case 0, 108 -> BSD_LOOPBACK; // DLT_NULL, DLT_LOOP: 4-byte address family
            case 12, 14, 101, 228, 229 -> RAW; // DLT_RAW (both numberings), LINKTYPE_RAW, IPV4, IPV6
            default -> null;
        };
    }

    /** Offset of the network-layer header, or -1 when the frame is too short to have one. */
    int payloadOffset(byte[] frame, int length) {
        if (this != ETHERNET) {
            return length > fixedLength ? fixedLength : -1;
        }
        int offset = 14;
        // Usually the kernel strips VLAN tags before capture; when it does not, skip up to two.
        for (int tags = 0; tags < 2 && length >= offset; tags++) {
            int type = ((frame[offset - 2] & 0xff) << 8) | (frame[offset - 1] & 0xff);
            if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ) {
                break;
            }
            offset += 4;
        }
        return length > offset ? offset : -1;
    }

    /** The EtherType just before {@code payloadOffset}, for Ethernet frames. */
    static int etherType(byte[] frame, int payloadOffset) {
        return ((frame[payloadOffset - 2] & 0xff) << 8) | (frame[payloadOffset - 1] & 0xff);
    }
}
