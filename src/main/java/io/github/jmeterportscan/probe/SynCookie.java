package io.github.jmeterportscan.probe;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stateless reply validation, as in SYN cookies: the sequence number of every probe is a keyed hash
 * of the connection's addresses and ports plus the try number. A reply proves it answers our probe
 * when the number it echoes (ack-1 for SYN probes, seq for RSTs to ACK probes, the quoted seq in an
 * ICMP error) decodes to a valid try number. No table of outstanding probes is consulted, so the
 * receive thread never contends with the sender.
 */
public final class SynCookie {
    /** Try numbers live in the low bits so one hash serves every retransmission of a port. */
    public static final int MAX_TRIES = 64;

    private final long key0;
    private final long key1;

    public SynCookie(long key0, long key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    /**
     * A fresh key pair per scan. A new SecureRandom per scan would read /dev/urandom under
     * NativePRNG's global lock and serialise JMeter threads that each run many one-port scans, so
     * one secret is drawn per JVM and every scan's keys are that secret mixed with fast per-scan
     * randomness: still unpredictable to a target (it never sees
     * the secret), distinct per scan, and lock-free.
     */
    public static SynCookie random() {
        ThreadLocalRandom local = ThreadLocalRandom.current();
        return new SynCookie(mix(Secret.KEY0 ^ local.nextLong()), mix(Secret.KEY1 ^ local.nextLong()));
    }

    /** Drawn once, on first use. */
    private static final class Secret {
        private static final long KEY0;
        private static final long KEY1;

        static {
            SecureRandom random = new SecureRandom();
            KEY0 = random.nextLong();
            KEY1 = random.nextLong();
        }
    }

    /**
     * The sequence number of try {@code tryNo} (0-based) for a flow. Addresses are given as two
     * longs each, as {@link AddressBits} gives them.
     */
    public int encode(long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort, int tryNo) {
        return base(srcHi, srcLo, dstHi, dstLo, srcPort, dstPort) + tryNo;
    }

    /** The try number that {@code echoed} stands for, or -1 when it is not one of ours. */
    public int decode(long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort, int echoed) {
        return tryOf(base(srcHi, srcLo, dstHi, dstLo, srcPort, dstPort), echoed);
    }

    /**
     * The flow's cookie for try 0. A receiver that has several candidate echoes for one packet
     * (ack-1, ack, seq) hashes the flow once and tests each with {@link #tryOf}.
     */
    public int base(long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort) {
        long h = mix(key0 ^ srcHi);
        h = mix(h ^ srcLo ^ key1);
        h = mix(h ^ dstHi);
        h = mix(h ^ dstLo);
        h = mix(h ^ (((long) srcPort << 16) | dstPort) ^ key0);
        // Clear the low bits so base + tryNo never carries into the hash bits.
        return (int) (h >>> 32) & ~(MAX_TRIES - 1);
    }

    /** The try number {@code echoed} stands for, given the flow's {@code base}; -1 when not ours. */
    public static int tryOf(int base, int echoed) {
        int tryNo = echoed - base;
        return (tryNo >= 0 && tryNo < MAX_TRIES) ? tryNo : -1;
    }

    /** A 64-bit finaliser (murmur3's fmix64): cheap, and every input bit reaches every output bit. */
    private static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xff51afd7ed558ccdL;
        z ^= z >>> 33;
        z *= 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z;
    }
}
