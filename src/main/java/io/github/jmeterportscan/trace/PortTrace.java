package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.result.PortResult;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What crossed the wire for one probed port: the probes sent to it and the replies about it, in
 * time order, with the verdict when known. Build with {@link PortTraces}, print with
 * {@link TraceFormatter}.
 *
 * @param target  the scanned host
 * @param port    the probed port
 * @param packets its packets in time order
 * @param result  the scanner's verdict on the port, when given
 */
public record PortTrace(InetAddress target, int port, List<TracedPacket> packets, Optional<PortResult> result) {
    public PortTrace {
        Objects.requireNonNull(target, "target");
        packets = List.copyOf(packets);
        Objects.requireNonNull(result, "result");
    }
}
