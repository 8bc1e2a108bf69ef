package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.PortState;
import java.util.LinkedHashSet;
import java.util.List;
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
 *   <li>{@code <prefix>_rtt_us}: the round-trip time of the slowest answered probe in
 *       microseconds, from the kernel's capture stamps of the probe and its reply (JMeter's
 *       Latency holds the same in milliseconds); empty when no probe was answered;</li>
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
        Names names = Names.of(prefix);
        List<PortOutcome> ports = outcome.ports();
        String first = ports.isEmpty() ? null : ports.get(0).host();
        boolean several = false;
        for (PortOutcome port : ports) {
            several |= !port.host().equals(first);
        }
        StringBuilder[] byState = new StringBuilder[LISTED.length];
        int[] counts = new int[LISTED.length];
        Set<String> hosts = several ? new LinkedHashSet<>() : null;
        long slowestRtt = -1;
        for (PortOutcome port : ports) {
            slowestRtt = Math.max(slowestRtt, port.rttMicros());
            int listed = listedIndex(port.state());
            if (listed >= 0) {
                StringBuilder list = byState[listed];
                if (list == null) {
                    list = byState[listed] = new StringBuilder();
                } else {
                    list.append(',');
                }
                if (several) {
                    list.append(PortOutcome.hostForLabel(port.host())).append(':');
                }
                list.append(port.port());
                counts[listed]++;
            }
            if (several) {
                hosts.add(port.host());
            }
            if (port.host().equals(first)) {
                vars.put(names.statePrefix + port.port(), port.state().nmapName());
            }
        }
        for (int i = 0; i < LISTED.length; i++) {
            vars.put(names.ports[i], byState[i] == null ? "" : byState[i].toString());
            vars.put(names.counts[i], Integer.toString(counts[i]));
        }
        vars.put(names.hosts, several ? String.join(",", hosts) : first == null ? "" : first);
        vars.put(names.rttMicros, slowestRtt < 0 ? "" : Long.toString(slowestRtt));
        vars.put(names.error, "");
    }

    static void failed(JMeterVariables vars, String prefix, String message) {
        if (vars == null) {
            return;
        }
        Names names = Names.of(prefix);
        for (int i = 0; i < LISTED.length; i++) {
            vars.put(names.ports[i], "");
            vars.put(names.counts[i], "0");
        }
        vars.put(names.hosts, "");
        vars.put(names.rttMicros, "");
        vars.put(names.error, message);
    }

    private static int listedIndex(PortState state) {
        for (int i = 0; i < LISTED.length; i++) {
            if (LISTED[i] == state) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The variable names for one prefix, made once: every sample sets about ten of them, and
     * concatenating the names per sample is a visible share of a one-port sample's work.
     */
    private static final class Names {
        private static volatile Names last = new Names(DEFAULT_PREFIX);

        final String prefix;
        final String[] ports = new String[LISTED.length];
        final String[] counts = new String[LISTED.length];
        final String hosts;
        final String rttMicros;
        final String error;
        final String statePrefix;

        private Names(String prefix) {
            this.prefix = prefix;
            for (int i = 0; i < LISTED.length; i++) {
                ports[i] = prefix + "_" + LISTED[i].nmapName();
                counts[i] = ports[i] + "_count";
            }
            hosts = prefix + "_hosts";
            rttMicros = prefix + "_rtt_us";
            error = prefix + "_error";
            statePrefix = prefix + "_state_";
        }

        static Names of(String configured) {
            String prefix = configured == null || configured.isBlank() ? DEFAULT_PREFIX : configured.trim();
            Names names = last;
            if (!names.prefix.equals(prefix)) {
                names = new Names(prefix);
                last = names;
            }
            return names;
        }
    }
}
