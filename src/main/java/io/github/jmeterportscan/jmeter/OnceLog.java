package io.github.jmeterportscan.jmeter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each distinct scan error once per JVM: 200 threads failing the same way on every iteration
 * would otherwise bury the log. The sample itself always carries the message.
 */
final class OnceLog {
    private static final Logger LOG = LoggerFactory.getLogger(PortScanSampler.class);
    /** Bounds the memory spent on remembering; past it, new messages are no longer logged. */
    static final int MAX_REMEMBERED = 1_000;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private OnceLog() {
    }

    /** Logs at WARN unless the same code and message were logged before; true when it logged. */
    static boolean warn(String element, String code, String message) {
        String key = code + '\u0000' + message;
        if (SEEN.size() >= MAX_REMEMBERED || !SEEN.add(key)) {
            return false;
        }
        LOG.warn("{}: {}: {} (further samples failing the same way are not logged)", element, code, message);
        return true;
    }
}
