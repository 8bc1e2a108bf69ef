package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The machine-readable form of a sample's ports, carried in the sample's response headers so that
 * {@link PortStateAssertion}, a JSR223 element ({@code prev.getResponseHeaders()}) or an XML JTL
 * saved with response headers can read it back. One line per port:
 *
 * <pre>
 * X-PortScan-Port: 127.0.0.1 22 open syn-ack 64 45
 * </pre>
 *
 * <p>(address, port, state, reason, reply TTL, RTT in microseconds or -1). Lines with other
 * names are ignored when reading, so the form can grow.
 */
public record ScanOutcome(List<PortOutcome> ports) {
    public static final String PORT_HEADER = "X-PortScan-Port";

    public ScanOutcome {
        ports = List.copyOf(ports);
    }

    public static ScanOutcome of(ScanReport report) {
        List<PortOutcome> ports = new ArrayList<>();
        for (HostResult host : report.hosts()) {
            String address = host.target().addressString();
            for (PortResult port : host.ports()) {
                ports.add(PortOutcome.of(address, port));
            }
        }
        return new ScanOutcome(ports);
    }

    /** The header lines, each ending in a line break. */
    public String toHeaders() {
        StringBuilder out = new StringBuilder(ports.size() * 48);
        for (PortOutcome p : ports) {
            out.append(PORT_HEADER).append(": ").append(p.host()).append(' ').append(p.port()).append(' ')
                    .append(p.state().nmapName()).append(' ').append(p.reason().nmapName()).append(' ')
                    .append(p.ttl()).append(' ').append(p.rttMicros()).append('\n');
        }
        return out.toString();
    }

    /**
     * Reads the port lines back from response headers.
     *
     * @throws IllegalArgumentException for a port line that does not have the documented shape
     */
    public static ScanOutcome fromHeaders(String headers) {
        List<PortOutcome> ports = new ArrayList<>();
        if (headers == null) {
            return new ScanOutcome(ports);
        }
        String prefix = PORT_HEADER + ":";
        for (String line : headers.split("\r?\n")) {
            if (!line.regionMatches(true, 0, prefix, 0, prefix.length())) {
                continue;
            }
            String[] f = line.substring(prefix.length()).trim().split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("Malformed " + PORT_HEADER + " line: " + line);
            }
            try {
                ports.add(new PortOutcome(f[0], Integer.parseInt(f[1]), PortState.fromNmapName(f[2]),
                        Reason.fromNmapName(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Malformed " + PORT_HEADER + " line: " + line, e);
            }
        }
        return new ScanOutcome(ports);
    }

    public boolean isEmpty() {
        return ports.isEmpty();
    }

    /**
     * The response code of a sample with these ports: the state alone for one port ("open"), else
     * the count of each state in nmap's order ("open=3 closed=997"); "none" for no port.
     */
    public String stateSummary() {
        if (ports.size() == 1) {
            return ports.get(0).state().nmapName();
        }
        return summary(count(p -> p.state(), PortState.class));
    }

    /** The reasons: "syn-ack" for one port, "syn-ack=3 reset=997" for several. */
    public String reasonSummary() {
        if (ports.size() == 1) {
            return ports.get(0).reasonText();
        }
        return summary(count(p -> p.reason(), Reason.class));
    }

    private <E extends Enum<E>> Map<E, Integer> count(java.util.function.Function<PortOutcome, E> key, Class<E> type) {
        Map<E, Integer> counts = new EnumMap<>(type);
        for (PortOutcome p : ports) {
            counts.merge(key.apply(p), 1, Integer::sum);
        }
        return counts;
    }

    private static String summary(Map<? extends Enum<?>, Integer> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** The ports whose state is not what {@code expected} asks, in order. */
    public List<Mismatch> mismatches(ExpectationMatrix expected) {
        List<Mismatch> out = new ArrayList<>();
        for (PortOutcome p : ports) {
            expected.expectationFor(p.port()).filter(e -> !e.matches(p.state()))
                    .ifPresent(e -> out.add(new Mismatch(p, e.toString())));
        }
        return out;
    }

    /** A port found in another state than expected. */
    public record Mismatch(PortOutcome port, String expected) {
        /** "127.0.0.1:22/tcp: expected filtered, got open (syn-ack)". */
        public String message() {
            return port.label() + ": expected " + expected + ", got " + port.state().nmapName() + " ("
                    + port.reason().nmapName() + ")";
        }
    }
}
