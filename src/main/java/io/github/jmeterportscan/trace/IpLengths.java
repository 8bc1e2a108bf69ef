package io.github.jmeterportscan.trace;

/** Where an IP datagram ends according to its own header. */
final class IpLengths {
    private IpLengths() {
    }

    /**
     * The datagram's length from its header (IPv4 total length, IPv6 40 + payload length), or
     * {@code available} when the header is missing or claims more than there is.
     */
    static int datagramLength(byte[] b, int off, int available) {
        if (available < 1) {
            return available;
        }
        int version = (b[off] & 0xf0) >>> 4;
        int claimed;
        if (version == 4 && available >= 20) {
            claimed = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        } else if (version == 6 && available >= 40) {
            claimed = 40 + (((b[off + 4] & 0xff) << 8) | (b[off + 5] & 0xff));
        } else {
            return available;
        }
        // A zero IPv4 length is "let the kernel fill it" (raw sockets): keep everything.
        return claimed <= 0 || claimed > available ? available : claimed;
    }
}
