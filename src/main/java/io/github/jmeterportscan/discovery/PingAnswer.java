package io.github.jmeterportscan.discovery;

import io.github.jmeterportscan.result.HostStatus;
import java.util.Optional;

/**
 * An answer that decides a host's state.
 *
 * @param host      the host's index in the pinger's target list
 * @param probe     which of the host's probes it answers, in the pinger's numbering
 * @param status    what the answer says (up, with nmap's reason and the answer's TTL)
 * @param wireNanos when the answer arrived, on the {@link System#nanoTime()} clock
 * @param mac       the host's Ethernet address when the answer carried it (ARP, ND)
 */
public record PingAnswer(int host, int probe, HostStatus status, long wireNanos, Optional<String> mac) {
}
