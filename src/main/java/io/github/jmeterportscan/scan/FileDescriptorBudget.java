package io.github.jmeterportscan.scan;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many sockets one connect scan may hold open, from the process's file-descriptor limit. Every
 * connect in flight is one descriptor; running out makes {@code socket()} fail with EMFILE, for us
 * and for everything else in the JVM (JMeter's own samplers included). So a scan takes at most
 * half of what is free when it starts, keeps a reserve, and never exceeds {@link #CEILING}.
 */
public final class FileDescriptorBudget {
    /** More parallel connects than this gain nothing even on loopback. */
    public static final int CEILING = 4096;
    /** Never plan fewer than this: below it a scan is pointless; EMFILE handling takes over. */
    public static final int FLOOR = 8;
    private static final long RESERVE = 64;
    /** When the JVM cannot tell its limits (not a Unix JVM): the common soft limit of 1024. */
    private static final long UNKNOWN_FREE = 1024 - RESERVE;

    private FileDescriptorBudget() {
    }

    /** Sockets this scan may open at once. */
    public static int sockets() {
        return fromLimits(maxDescriptors(), openDescriptors());
    }

    static int fromLimits(long max, long open) {
        long free = max > 0 && open >= 0 ? max - open - RESERVE : UNKNOWN_FREE;
        long share = free / 2;
        return (int) Math.max(FLOOR, Math.min(CEILING, share));
    }

    private static long maxDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** Descriptors open in this process right now, or -1 when unknown. */
    public static long openDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    }
}
