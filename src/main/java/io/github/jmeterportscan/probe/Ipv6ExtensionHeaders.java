package io.github.jmeterportscan.probe;

/**
 * The IPv6 extension headers a decoder walks to reach the upper-layer header (RFC 8200 section 4),
 * by their Next Header numbers. Every decoder of IPv6 packets uses these, so that they all skip
 * the same headers.
 */
public final class Ipv6ExtensionHeaders {
    /** Hop-by-Hop Options: length in its second byte, in 8-octet units beyond the first 8. */
    public static final int HOP_BY_HOP = 0;
    /** Routing: same layout as {@link #HOP_BY_HOP}. */
    public static final int ROUTING = 43;
    /** Fragment: always {@link #FRAGMENT_LENGTH} bytes; only the first fragment carries the upper-layer header. */
    public static final int FRAGMENT = 44;
    /** Destination Options: same layout as {@link #HOP_BY_HOP}. */
    public static final int DESTINATION_OPTIONS = 60;
    /** The Fragment header's fixed length. */
    public static final int FRAGMENT_LENGTH = 8;
    /** Every extension header is at least this long: its first 8 octets. */
    public static final int MIN_LENGTH = 8;
    /** Mask of the fragment offset in the Fragment header's third and fourth bytes. */
    public static final int FRAGMENT_OFFSET_MASK = 0xfff8;

    private Ipv6ExtensionHeaders() {
    }

    /** Whether {@code next} names an options-style header, whose length is in its second byte. */
    public static boolean hasLengthField(int next) {
        return next == HOP_BY_HOP || next == ROUTING || next == DESTINATION_OPTIONS;
    }

    /** The length in bytes of an options-style header whose second byte is {@code lengthField}. */
    public static int length(int lengthField) {
        return (lengthField + 1) * 8;
    }
}
