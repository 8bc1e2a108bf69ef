package io.github.jmeterportscan.testsupport;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.util.Objects;

/**
 * One port of one host in an nmap XML file.
 *
 * @param port      port number
 * @param protocol  "tcp", "udp", ...
 * @param state     state as written
 * @param reason    reason as written
 * @param reasonTtl the {@code reason_ttl} attribute; 0 for ports that were only counted in
 *                  {@code <extraports>} (nmap writes no TTL there)
 * @param collapsed true when the port came from an {@code <extraports>} summary, not a
 *                  {@code <port>} element
 */
public record NmapPort(int port, String protocol, PortState state, Reason reason, int reasonTtl, boolean collapsed) {
    public NmapPort {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    public Outcome outcome() {
        return Outcome.of(state, reason);
    }
}
