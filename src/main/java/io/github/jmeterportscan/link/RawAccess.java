package io.github.jmeterportscan.link;

import com.sun.jna.Native;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.pcap4j.core.Pcaps;

/**
 * Says, cheaply and without sending anything, why raw-packet scanning cannot work here, so that
 * the engine can fall back to a connect scan and tell the user why.
 */
public final class RawAccess {
    private static final int CAP_NET_RAW = 13;
    private static volatile Optional<String> cached;

    private RawAccess() {
    }

    /** Empty when raw scanning should work; otherwise a message a user can act on. */
    public static Optional<String> problem() {
        Optional<String> result = cached;
        if (result == null) {
            result = Optional.ofNullable(findProblem());
            cached = result;
        }
        return result;
    }

    private static String findProblem() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "raw packet scanning is implemented for Linux only";
        }
        Optional<String> jna = JnaOnClassPath.problem();
        if (jna.isPresent()) {
            return jna.get();
        }
        if (!hasNetRaw()) {
            return "raw packet scanning needs root or the CAP_NET_RAW capability"
                    + " (run as root, or: setcap cap_net_raw,cap_net_admin=eip on the java binary)";
        }
        Throwable libc = LibC.loadFailure();
        if (libc != null) {
            return "raw packet scanning needs JNA's native support, which failed to load: " + libc;
        }
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return "raw packet scanning needs a 64-bit JVM";
        }
        try {
            Pcaps.libVersion();
        } catch (Throwable t) { // UnsatisfiedLinkError, or NoClassDefFoundError on a second try
            return "raw packet scanning needs libpcap, which could not be loaded (" + firstLine(t)
                    + "); install libpcap (on Debian and Ubuntu: libpcap0.8) or point"
                    + " -Dorg.pcap4j.core.pcapLibName= at the library file";
        }
        return null;
    }

    /** JNA's load errors list every path it tried, one per line; the first says enough. */
    private static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.endsWith(":") ? first.substring(0, first.length() - 1) : first;
    }

    /** Root, or CAP_NET_RAW in the effective set (read from /proc, no native call needed). */
    private static boolean hasNetRaw() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).trim(), 16).testBit(CAP_NET_RAW);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the user name
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
