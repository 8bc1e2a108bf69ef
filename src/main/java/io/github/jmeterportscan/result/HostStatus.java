package io.github.jmeterportscan.result;

import java.util.Objects;

/**
 * Whether a host is up and what said so, as nmap reports it ({@code <status state reason
 * reason_ttl>}, "Host is up, received echo-reply ttl 64").
 *
 * @param up        true when the host answered (or -Pn declared it up)
 * @param reason    the answer that decided it; {@link Reason#NO_RESPONSE} for a host found down
 * @param reasonTtl the IP TTL (hop limit) of that answer; 0 when no IP packet decided it
 */
public record HostStatus(boolean up, Reason reason, int reasonTtl) {
    /** -Pn: the user declared every host up. */
    public static final HostStatus USER_SET = new HostStatus(true, Reason.USER_SET, 0);
    /** Nothing answered any discovery probe. */
    public static final HostStatus NO_RESPONSE = new HostStatus(false, Reason.NO_RESPONSE, 0);
    /** The target is one of this machine's own addresses: nmap takes it as up without a probe. */
    public static final HostStatus LOCALHOST = new HostStatus(true, Reason.LOCALHOST_RESPONSE, 0);

    public HostStatus {
        Objects.requireNonNull(reason, "reason");
    }

    public static HostStatus up(Reason reason, int ttl) {
        return new HostStatus(true, reason, ttl);
    }
}
