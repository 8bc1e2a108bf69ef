package io.github.jmeterportscan.link;

/** RFC 1071 ones'-complement sum, for the few packets the link builds itself (Neighbor Solicitation). */
final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds {@code length} bytes to a running 32-bit sum (big-endian 16-bit words). */
    static long add(long sum, byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
