package io.github.jmeterportscan.scan;

/** Which way a traced packet crossed the wire, seen from the scanning host. */
public enum PacketDirection {
    /** A probe we sent (nmap's "SENT"). */
    SENT,
    /** A captured packet that answers one of our probes (nmap's "RCVD"). */
    RECEIVED
}
