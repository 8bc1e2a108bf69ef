package io.github.jmeterportscan.probe;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;

/** What one reply says about a port: a state and nmap's reason for it. */
public record Verdict(PortState state, Reason reason) {
}
