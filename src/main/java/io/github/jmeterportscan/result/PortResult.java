package io.github.jmeterportscan.result;

import java.util.Objects;

/**
 * The verdict on one TCP port of one host.
 *
 * @param port      the port number
 * @param state     nmap's state
 * @param reason    nmap's reason for that state
 * @param reasonTtl TTL (IPv4) or hop limit (IPv6) of the reply that decided it; 0 when no packet
 *                  decided it (no-response, connect scan), as nmap writes it
 * @param rttMicros round-trip time of the deciding probe in microseconds, or -1 when there was no
 *                  reply to time
 */
public record PortResult(int port, PortState state, Reason reason, int reasonTtl, long rttMicros) {
    public static final long NO_RTT = -1;

    public PortResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public boolean hasRtt() {
        return rttMicros >= 0;
    }
}
