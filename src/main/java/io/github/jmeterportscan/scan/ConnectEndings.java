package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.TcpInfo;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the end of one connect means (nmap's handleConnectResult): a verdict, a try without an
 * answer, or a fatal error; each told to the host's {@link HostSchedule}, and traced as nmap's
 * CONN lines under --packet-trace. Owned by the connect scan's thread.
 */
final class ConnectEndings {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectEndings.class);

    private final boolean packetTrace;
    private final ScanObserver observer;
    private final long startNanos;
    private boolean strangeWarned;

    ConnectEndings(boolean packetTrace, ScanObserver observer, long startNanos) {
        this.packetTrace = packetTrace;
        this.observer = observer;
        this.startNanos = startNanos;
    }

    /** Acts on the end of a connect as nmap's handleConnectResult does. */
    void complete(ConnectProbe probe, SocketErrno errno, long now) throws ScanException {
        HostScan host = probe.host;
        InetSocketAddress remote = new InetSocketAddress(host.target.address(), probe.port);
        trace(remote, errno, now);
        ConnectOutcome outcome = ConnectOutcome.of(errno);
        if (errno == SocketErrno.NONE) {
            abortOnClose(probe);
        }
        if (outcome.kind() == ConnectOutcome.Kind.VERDICT && errno == SocketErrno.NONE
                && isSelfConnect(probe, remote)) {
            // Our ephemeral port happened to be the target port on a local address: the
            // "handshake" was with ourselves. nmap retries it as if it had timed out.
            LOG.debug("self-connect on {}:{}, retrying", host.target.addressString(), probe.port);
            outcome = new ConnectOutcome(ConnectOutcome.Kind.NO_ANSWER, null, null);
        }
        // The kernel timed the handshake itself (TCP_INFO), where it lets us read it; read it
        // before the channel closes. Refused and failed connects have only our own clock.
        long rttMicros = (errno == SocketErrno.NONE ? TcpInfo.roundTripMicros(probe.channel)
                : java.util.OptionalLong.empty()).orElse((now - probe.sentNanos) / 1000);
        host.close(probe.index);
        HostSchedule hs = host.schedule;
        switch (outcome.kind()) {
            case VERDICT -> {
                long timed = hs.answered(probe.index, probe.tryNo, outcome.state() == PortState.FILTERED, now,
                        rttMicros);
                if (timed == HostSchedule.IGNORED) {
                    return;
                }
                PortResult result = new PortResult(probe.port, outcome.state(), outcome.reason(), 0, rttMicros);
                host.record(probe.index, result);
                observer.portDecided(host.target, result);
            }
            case NO_ANSWER, LOCAL_RESOURCE -> hs.unanswered(probe.index);
            case STRANGE -> {
                if (!strangeWarned) {
                    strangeWarned = true;
                    LOG.warn("Strange read error from {} ({} - '{}')", host.target.addressString(),
                            errno.linuxNumber(), errno.message());
                }
                hs.abandoned(probe.index);
                observer.portDecided(host.target, host.noResponse(probe.index));
            }
            case FATAL -> throw new ScanException(String.format(Locale.ROOT,
                    "Strange SO_ERROR from connection to %s (%d - '%s') -- bailing scan",
                    host.target.addressString(), errno.linuxNumber(), errno.message()));
            default -> throw new IllegalStateException("unhandled outcome " + outcome);
        }
    }

    /**
     * SO_LINGER 0, as nmap sets: closing then sends RST instead of the FIN exchange, and leaves
     * no TIME_WAIT behind. Only established connections need it (a refused or unanswered
     * connect leaves nothing to tear down), so it is set here rather than on every socket.
     */
    private static void abortOnClose(ConnectProbe probe) {
        try {
            probe.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            LOG.debug("SO_LINGER on {}:{}", probe.host.target.addressString(), probe.port, e);
        }
    }

    private static boolean isSelfConnect(ConnectProbe probe, InetSocketAddress remote) {
        try {
            SocketAddress local = probe.channel.getLocalAddress();
            return remote.equals(local);
        } catch (IOException e) {
            return false;
        }
    }

    void trace(InetSocketAddress remote, SocketErrno errno, long now) {
        if (!packetTrace) {
            return;
        }
        String text = errno == SocketErrno.NONE ? "Connected" : errno.message();
        observer.packetTrace(String.format(Locale.ROOT, "CONN (%.4fs) TCP localhost > %s:%d => %s",
                (now - startNanos) / 1e9, remote.getAddress().getHostAddress(), remote.getPort(), text));
    }
}
