package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.spec.Target;

/**
 * Live events of a running scan. Called from scanner threads: implementations must be thread-safe
 * and quick (no I/O on the receive path; queue and write elsewhere).
 */
public interface ScanObserver {
    ScanObserver NONE = new ScanObserver() { };

    /** A port got its (current) verdict; it may still be upgraded by a later reply. */
    default void portDecided(Target target, PortResult result) {
    }

    /** One line of packet trace in nmap's --packet-trace format ("SENT (0.0312s) TCP ..."). */
    default void packetTrace(String line) {
    }
}
