package io.github.jmeterportscan.scan;

import com.sun.jna.Platform;
import io.github.jmeterportscan.link.LibC;
import java.net.NoRouteToHostException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers the errno behind an {@link java.io.IOException} thrown by {@code SocketChannel.connect}
 * or {@code finishConnect}. The JDK (Net.c, handleSocketError) picks the exception class from a
 * few errnos (ConnectException, NoRouteToHostException, BindException, SocketException) and puts
 * libc's {@code strerror} text in the message, so the message is the only complete witness.
 *
 * <p>glibc translates that text under a non-English locale. On Linux the classifier therefore also asks
 * libc itself (through {@link LibC}) for the text of every errno we know, so a German "Verbindungsaufbau
 * abgelehnt" is recognised as well as "Connection refused".
 */
public final class ConnectErrorClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectErrorClassifier.class);
    private static final ConnectErrorClassifier INSTANCE = new ConnectErrorClassifier(libcMessages());

    private final Map<String, SocketErrno> byMessage;

    ConnectErrorClassifier(Map<SocketErrno, String> localizedMessages) {
        Map<String, SocketErrno> table = new HashMap<>();
        for (SocketErrno errno : SocketErrno.values()) {
            if (errno != SocketErrno.UNKNOWN && errno != SocketErrno.NONE) {
                table.put(normalize(errno.message()), errno);
            }
        }
        localizedMessages.forEach((errno, text) -> table.putIfAbsent(normalize(text), errno));
        this.byMessage = Collections.unmodifiableMap(table);
    }

    /** The classifier for this process (English texts plus libc's own, possibly translated, texts). */
    public static ConnectErrorClassifier get() {
        return INSTANCE;
    }

    /** The errno behind {@code error}, or {@link SocketErrno#UNKNOWN} when it cannot be told. */
    public SocketErrno classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            SocketErrno byText = fromMessage(t.getMessage());
            if (byText != SocketErrno.UNKNOWN) {
                return byText;
            }
            // The JDK throws NoRouteToHostException for EHOSTUNREACH only.
            if (t instanceof NoRouteToHostException) {
                return SocketErrno.EHOSTUNREACH;
            }
        }
        return SocketErrno.UNKNOWN;
    }

    SocketErrno fromMessage(String message) {
        if (message == null) {
            return SocketErrno.UNKNOWN;
        }
        SocketErrno exact = byMessage.get(normalize(message));
        if (exact != null) {
            return exact;
        }
        // Some JDK paths decorate the text ("Connection refused: connect", "... (Connection
        // refused)"); fall back to the longest known text contained in the message.
        String text = normalize(message);
        SocketErrno best = SocketErrno.UNKNOWN;
        int bestLength = 0;
        for (Map.Entry<String, SocketErrno> entry : byMessage.entrySet()) {
            if (entry.getKey().length() > bestLength && text.contains(entry.getKey())) {
                best = entry.getValue();
                bestLength = entry.getKey().length();
            }
        }
        return best;
    }

    private static String normalize(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }

    /** libc's strerror text for each known errno on Linux; empty elsewhere or without JNA. */
    static Map<SocketErrno, String> libcMessages() {
        if (!Platform.isLinux()) {
            return Map.of();
        }
        try {
            Map<SocketErrno, String> messages = new HashMap<>();
            for (SocketErrno errno : SocketErrno.values()) {
                if (errno.linuxNumber() > 0) {
                    LibC.errorText(errno.linuxNumber()).ifPresent(text -> messages.put(errno, text));
                }
            }
            return messages;
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("libc strerror unavailable, recognising English messages only", e);
            return Map.of();
        }
    }
}
