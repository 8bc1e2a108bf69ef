package io.github.jmeterportscan.jmeter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each distinct scan error, and each distinct note about how samples scan, once per JVM: 200
 * threads failing the same way on every iteration would otherwise bury the log. The sample itself
 * always carries the message.
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

    /**
     * Logs at WARN, once per JVM for each text, a note that changes how samples scan, such as the fallback to a
     * connect scan and its cause: the sample's response data says it too, but a headless run shows only the log.
     * True when it logged.
     */
    static boolean note(String element, String note) {
        if (SEEN.size() >= MAX_REMEMBERED || !SEEN.add("note\u0000" + note)) {
            return false;
        }
        LOG.warn("{}: {} (logged once)", element, note);
        return true;
    }
}
