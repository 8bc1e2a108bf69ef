package io.github.jmeterportscan.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's own round-trip time of a connected TCP socket: {@code tcpi_rtt} of TCP_INFO, which
 * after a handshake is the time from the SYN leaving to the SYN-ACK arriving, measured by the
 * kernel in microseconds. It reaches a channel's descriptor only when the JVM exports
 * {@code sun.nio.ch} to us ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}: portscan.jar's
 * manifest asks for it; in JMeter it goes into JVM_ARGS); elsewhere {@link #roundTripMicros} is
 * empty and the caller keeps its own clock.
 */
public final class TcpInfo {
    private static final Logger LOG = LoggerFactory.getLogger(TcpInfo.class);
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    /** struct tcp_info: tcpi_rtt (u32, microseconds) follows 8 bytes of u8 fields and 15 u32s. */
    private static final int RTT_OFFSET = 68;
    private static final int INFO_BYTES = 256;
    private static final ThreadLocal<Memory> INFO = ThreadLocal.withInitial(() -> new Memory(INFO_BYTES));
    private static final ThreadLocal<Memory> LENGTH = ThreadLocal.withInitial(() -> new Memory(4));
    private static final Method FD_OF_CHANNEL = fdAccessor();

    private TcpInfo() {
    }

    /** Whether the kernel's measure can be read here (the export is in effect and libc is bound). */
    public static boolean available() {
        return FD_OF_CHANNEL != null && LibC.loadFailure() == null;
    }

    /** The kernel's smoothed RTT of a connected channel in microseconds, when it can be read. */
    public static OptionalLong roundTripMicros(SocketChannel channel) {
        if (!available()) {
            return OptionalLong.empty();
        }
        try {
            int fd = (int) FD_OF_CHANNEL.invoke(channel);
            Memory info = INFO.get();
            Memory length = LENGTH.get();
            length.setInt(0, INFO_BYTES);
            LibC.getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, length);
            if (length.getInt(0) < RTT_OFFSET + 4) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Integer.toUnsignedLong(info.getInt(RTT_OFFSET)));
        } catch (ReflectiveOperationException | LastErrorException | ClassCastException e) {
            return OptionalLong.empty();
        }
    }

    /** sun.nio.ch.SelChImpl#getFDVal, when this module may call it; otherwise null. */
    private static Method fdAccessor() {
        try {
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
            if (!selectable.getModule().isExported("sun.nio.ch", TcpInfo.class.getModule())) {
                LOG.debug("sun.nio.ch is not exported to us: connect-scan RTTs use the scanner's clock");
                return null;
            }
            return selectable.getMethod("getFDVal");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("no access to channel descriptors: {}", e.toString());
            return null;
        }
    }
}
