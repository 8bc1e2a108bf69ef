package io.github.jmeterportscan.link;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet address. Immutable: the bytes are copied in and out. */
public final class MacAddress {
    public static final MacAddress ZERO = new MacAddress(new byte[6]);
    public static final MacAddress BROADCAST = new MacAddress(new byte[] {-1, -1, -1, -1, -1, -1});

    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    public static MacAddress of(byte[] bytes) {
        if (bytes == null || bytes.length != 6) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes");
        }
        return new MacAddress(bytes.clone());
    }

    /** Parses "02:fc:00:00:00:01" (also with '-' separators). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not an Ethernet address: " + text);
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return new MacAddress(b);
    }

    static MacAddress read(byte[] source, int offset) {
        return new MacAddress(Arrays.copyOfRange(source, offset, offset + 6));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    void writeTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, 6);
    }

    boolean matches(byte[] source, int offset) {
        return Arrays.equals(bytes, 0, 6, source, offset, offset + 6);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
