package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.PortState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.jmeter.threads.JMeterVariables;

/**
 * The JMeter variables a scan leaves for later elements of the same thread ({@code <prefix>} is
 * the sampler's variable prefix, "portscan" by default):
 * <ul>
 *   <li>{@code <prefix>_open}, {@code _closed}, {@code _filtered}, {@code _unfiltered}: the ports
 *       in that state, comma-separated in ascending order; with several hosts each entry is
 *       {@code host:port} ({@code [v6]:port}); empty when none;</li>
 *   <li>{@code <prefix>_open_count}, {@code _closed_count}, {@code _filtered_count},
 *       {@code _unfiltered_count}: how many ports (over all hosts) are in that state — numbers the
 *       HTML dashboard can plot over time (sample_variables);</li>
 *   <li>{@code <prefix>_state_<port>}: the port's state on the first host scanned;</li>
 *   <li>{@code <prefix>_hosts}: the addresses scanned, comma-separated;</li>
 *   <li>{@code <prefix>_error}: empty after a scan, the error message when the sample failed to
 *       scan (then the other variables are cleared).</li>
 * </ul>
 */
final class SampleVariables {
    static final String DEFAULT_PREFIX = "portscan";
    private static final PortState[] LISTED = {PortState.OPEN, PortState.CLOSED, PortState.FILTERED,
        PortState.UNFILTERED};

    private SampleVariables() {
    }

    static void scanned(JMeterVariables vars, String prefix, ScanOutcome outcome) {
        if (vars == null) {
            return;
        }
        String p = prefix(prefix);
        Set<String> hosts = new LinkedHashSet<>();
        outcome.ports().forEach(port -> hosts.add(port.host()));
        boolean several = hosts.size() > 1;
        Map<PortState, List<String>> byState = new EnumMap<>(PortState.class);
        String first = hosts.isEmpty() ? null : hosts.iterator().next();
        for (PortOutcome port : outcome.ports()) {
            byState.computeIfAbsent(port.state(), s -> new ArrayList<>())
                    .add(several ? PortOutcome.hostForLabel(port.host()) + ":" + port.port() : String.valueOf(port.port()));
            if (port.host().equals(first)) {
                vars.put(p + "_state_" + port.port(), port.state().nmapName());
            }
        }
        for (PortState state : LISTED) {
            List<String> ports = byState.getOrDefault(state, List.of());
            vars.put(p + "_" + state.nmapName(), String.join(",", ports));
            vars.put(p + "_" + state.nmapName() + "_count", String.valueOf(ports.size()));
        }
        vars.put(p + "_hosts", String.join(",", hosts));
        vars.put(p + "_error", "");
    }

    static void failed(JMeterVariables vars, String prefix, String message) {
        if (vars == null) {
            return;
        }
        String p = prefix(prefix);
        for (PortState state : LISTED) {
            vars.put(p + "_" + state.nmapName(), "");
            vars.put(p + "_" + state.nmapName() + "_count", "0");
        }
        vars.put(p + "_hosts", "");
        vars.put(p + "_error", message);
    }

    private static String prefix(String prefix) {
        return prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix.trim();
    }
}
