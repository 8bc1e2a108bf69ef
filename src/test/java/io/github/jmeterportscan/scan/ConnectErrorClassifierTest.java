package io.github.jmeterportscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Platform;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The errno recovered from the exceptions the JDK throws on Linux. Exception texts come from libc
 * itself (strerror, through JNA) and classes from the JDK's Net.c rule, so the test sees what the
 * JDK would produce; the refusal is also produced for real. The ICMP-driven errnos are produced
 * for real in {@link ConnectPortScannerLabTest}.
 */
class ConnectErrorClassifierTest {
    private final ConnectErrorClassifier classifier = ConnectErrorClassifier.get();

    @Test
    void realRefusalOnLoopback() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (Selector selector = Selector.open(); SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
            channel.register(selector, SelectionKey.OP_CONNECT);
            selector.select(5000);
            IOException refused = assertThrows(IOException.class, channel::finishConnect);
            assertEquals(SocketErrno.ECONNREFUSED, classifier.classify(refused));
        }
    }

    @Test
    void ourEnglishTextsAndNumbersAreLibcs() {
        Assumptions.assumeTrue(Platform.isLinux(), "Linux errno numbers");
        Map<SocketErrno, String> libc = ConnectErrorClassifier.libcMessages();
        String lang = System.getenv().getOrDefault("LC_ALL", System.getenv().getOrDefault("LANG", "C"));
        Assumptions.assumeTrue(lang.isEmpty() || lang.startsWith("C") || lang.startsWith("en")
                || lang.startsWith("POSIX"), "English messages only under an English or C locale");
        for (SocketErrno errno : SocketErrno.values()) {
            if (errno.linuxNumber() > 0) {
                assertEquals(errno.message(), libc.get(errno), errno + " = " + errno.linuxNumber());
            }
        }
    }

    @Test
    void everyErrnoAsTheJdkThrowsIt() {
        Map<SocketErrno, String> libc = ConnectErrorClassifier.libcMessages();
        for (SocketErrno errno : SocketErrno.values()) {
            if (errno.linuxNumber() <= 0) {
                continue;
            }
            String text = libc.getOrDefault(errno, errno.message());
            assertEquals(errno, classifier.classify(asJdkThrows(errno, text)), errno.name());
        }
    }

    /** The exception class Net.c's handleSocketError picks, with strerror's text as message. */
    private static IOException asJdkThrows(SocketErrno errno, String text) {
        return switch (errno) {
            case ECONNREFUSED, ETIMEDOUT -> new ConnectException(text);
            case EHOSTUNREACH -> new NoRouteToHostException(text);
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(text);
            case EPROTO -> new ProtocolException(text);
            default -> new SocketException(text);
        };
    }

    @Test
    void decoratedAndWrappedMessages() {
        assertEquals(SocketErrno.ECONNREFUSED, classifier.classify(new ConnectException("Connection refused: connect")));
        assertEquals(SocketErrno.ENETUNREACH,
                classifier.classify(new IOException("scan", new SocketException("Network is unreachable"))));
        assertEquals(SocketErrno.EMFILE, classifier.classify(new IOException("Too many open files")));
        assertEquals(SocketErrno.ENFILE, classifier.classify(new IOException("Too many open files in system")));
        assertEquals(SocketErrno.EHOSTUNREACH, classifier.classify(new NoRouteToHostException()));
        assertEquals(SocketErrno.UNKNOWN, classifier.classify(new SocketException("something else")));
        assertEquals(SocketErrno.UNKNOWN, classifier.classify(new SocketException()));
    }

    @Test
    void translatedLibcTextsAreRecognised() {
        ConnectErrorClassifier german = new ConnectErrorClassifier(Map.of(
                SocketErrno.ECONNREFUSED, "Verbindungsaufbau abgelehnt",
                SocketErrno.ENETUNREACH, "Das Netzwerk ist nicht erreichbar"));
        assertEquals(SocketErrno.ECONNREFUSED, german.classify(new ConnectException("Verbindungsaufbau abgelehnt")));
        assertEquals(SocketErrno.ENETUNREACH, german.classify(new SocketException("Das Netzwerk ist nicht erreichbar")));
        assertEquals(SocketErrno.ECONNREFUSED, german.classify(new ConnectException("Connection refused")));
    }

    @Test
    void nmapsReadingOfEachErrno() {
        assertEquals(new ConnectOutcome(ConnectOutcome.Kind.VERDICT, PortState.OPEN,
                Reason.SYN_ACK), ConnectOutcome.of(SocketErrno.NONE));
        assertEquals(ConnectOutcome.Kind.NO_ANSWER, ConnectOutcome.of(SocketErrno.ETIMEDOUT).kind());
        assertEquals(ConnectOutcome.Kind.NO_ANSWER, ConnectOutcome.of(SocketErrno.EHOSTDOWN).kind());
        assertEquals(ConnectOutcome.Kind.FATAL, ConnectOutcome.of(SocketErrno.ENETDOWN).kind());
        assertEquals(ConnectOutcome.Kind.LOCAL_RESOURCE, ConnectOutcome.of(SocketErrno.EMFILE).kind());
        assertEquals(ConnectOutcome.Kind.STRANGE, ConnectOutcome.of(SocketErrno.EPERM).kind());
        assertEquals(Reason.ADMIN_PROHIBITED,
                ConnectOutcome.of(SocketErrno.EACCES).reason());
        assertEquals(Reason.DEST_UNREACH, ConnectOutcome.of(SocketErrno.ENONET).reason());
    }
}
