package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.spec.Target;
import java.util.Objects;

/**
 * One port of one host as a sample reports it.
 *
 * @param host      the address as nmap prints it (IPv6 without brackets)
 * @param port      the TCP port
 * @param state     nmap's state
 * @param reason    nmap's reason
 * @param ttl       TTL or hop limit of the deciding reply, 0 when none
 * @param rttMicros round-trip time of the deciding probe, -1 when nothing answered
 */
public record PortOutcome(String host, int port, PortState state, Reason reason, int ttl, long rttMicros) {
    public PortOutcome {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    public static PortOutcome of(Target target, PortResult result) {
        return of(target.addressString(), result);
    }

    /** As {@link #of(Target, PortResult)}, with the target's address already formatted. */
    static PortOutcome of(String address, PortResult result) {
        return new PortOutcome(address, result.port(), result.state(), result.reason(), result.reasonTtl(),
                result.rttMicros());
    }

    /** "127.0.0.1:22/tcp", "[::1]:22/tcp": the label of a per-port sample. */
    public String label() {
        return hostForLabel(host) + ":" + port + "/tcp";
    }

    /** IPv6 literals get brackets so that the port after the colon stays readable. */
    static String hostForLabel(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** nmap's "reason" column: "syn-ack ttl 64", or just "no-response" when no packet decided. */
    public String reasonText() {
        return ttl > 0 ? reason.nmapName() + " ttl " + ttl : reason.nmapName();
    }

    /** The round-trip time in whole milliseconds (rounded), 0 when nothing answered. */
    public long rttMillis() {
        return rttMicros < 0 ? 0 : (rttMicros + 500) / 1000;
    }
}
