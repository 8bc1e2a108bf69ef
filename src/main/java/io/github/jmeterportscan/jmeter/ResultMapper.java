package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.report.ReportWriters;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.ScanReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.SampleResult;

/**
 * Turns a finished scan into JMeter samples. See the package documentation for the mapping; in
 * short: response code = state (or a count per state), message = reason, latency = connect time
 * = probe RTT, success = every port in its expected state, data = nmap's normal output, headers =
 * the {@link ScanOutcome} lines.
 *
 * <p>With sub-samples (per host, per port) the parent's response message starts with JMeter's
 * Transaction Controller phrase "Number of samples in transaction : ", which the HTML dashboard
 * uses to leave a sample out of its totals: every probe is then counted exactly once, through its
 * own sub-sample row.
 */
final class ResultMapper {
    /** TransactionController's prefix; the report generator recognises containers by it. */
    static final String CONTAINER_PREFIX = "Number of samples in transaction : ";
    static final String EXPECTATION_NAME = "Expected port states";
    static final String HOST_UP = "host up";
    static final String HOST_DOWN = "host down";

    private final ReportWriters writers;

    ResultMapper(ReportWriters writers) {
        this.writers = writers;
    }

    /**
     * Fills {@code result} (already timed by the caller) from {@code report}.
     *
     * @param outcome  the report's ports ({@link ScanOutcome#of})
     * @param messages lines to show above the report (target expansion warnings)
     */
    void fill(SampleResult result, ScanReport report, ScanOutcome outcome, List<String> messages,
            ExpectationMatrix expected, Granularity granularity) {
        StringBuilder data = new StringBuilder(512);
        messages.forEach(m -> data.append(m).append('\n'));
        // nmap's -oN output does not name the method, and with scan type "auto" it depends on the
        // privileges of the JMeter that ran the sample: say which one ran.
        data.append(scanTypeLine(report)).append('\n');
        writers.normal().appendTo(report, data);
        setText(result, data.toString());
        result.setResponseHeaders(outcome.toHeaders());
        long rtt = maxRttMillis(outcome);
        result.setLatency(rtt);
        result.setConnectTime(rtt);
        result.setResponseCode(outcome.stateSummary());

        if (report.request().discovery().pingOnly()) {
            // A ping scan answers "is every node up": one sample per host, whatever the granularity.
            pingSamples(report).forEach(child -> result.addSubResult(child, false));
            result.setBytes(result.getBytesAsLong());
            markContainer(result);
            return;
        }
        if (granularity == Granularity.SCAN) {
            List<String> failures = failures(outcome, report.hosts(), expected);
            result.setResponseMessage(outcome.reasonSummary());
            result.setSuccessful(failures.isEmpty());
            addFailure(result, failures);
            return;
        }
        List<SampleResult> children = granularity == Granularity.HOST
                ? hostSamples(report, expected)
                : portSamples(report, expected);
        long ownBytes = result.getBytesAsLong();
        for (SampleResult child : children) {
            // No renaming: children keep their host:port/tcp labels.
            result.addSubResult(child, false);
        }
        // Each probe's bytes are counted in its own row; the container keeps only its report.
        result.setBytes(ownBytes);
        markContainer(result);
    }

    /** Sets the container's message and success from its sub-samples (also after an assertion). */
    static void markContainer(SampleResult parent) {
        SampleResult[] children = parent.getSubResults();
        int failing = 0;
        for (SampleResult child : children) {
            if (!child.isSuccessful()) {
                failing++;
            }
        }
        parent.setResponseMessage(CONTAINER_PREFIX + children.length + ", number of failing samples : " + failing);
        parent.setSuccessful(failing == 0);
    }

    static boolean isContainer(SampleResult result) {
        String message = result.getResponseMessage();
        return message != null && message.startsWith(CONTAINER_PREFIX);
    }

    private List<SampleResult> hostSamples(ScanReport report, ExpectationMatrix expected) {
        List<SampleResult> out = new ArrayList<>();
        for (HostResult host : report.hosts()) {
            ScanReport one = new ScanReport(report.request(), report.scanType(), report.notes(), List.of(host),
                    host.startEpochMillis(), host.endEpochMillis());
            ScanOutcome outcome = ScanOutcome.of(one);
            SampleResult child = new SampleResult(host.startEpochMillis(), host.endEpochMillis() - host.startEpochMillis());
            child.setSampleLabel(PortOutcome.hostForLabel(host.target().addressString()));
            setText(child, writers.normal().toString(one));
            child.setResponseHeaders(outcome.toHeaders());
            if (!host.up()) {
                // Found down by discovery: no port was scanned; code and message say so, as in ping-only mode.
                child.setResponseCode(host.status().reason().nmapName());
                child.setResponseMessage(HOST_DOWN);
            } else {
                child.setResponseCode(host.timedOut() ? ResponseCode.HOST_TIMEOUT.text() : outcome.stateSummary());
                child.setResponseMessage(outcome.reasonSummary());
            }
            long rtt = maxRttMillis(outcome);
            child.setLatency(rtt);
            child.setConnectTime(rtt);
            List<String> failures = failures(outcome, List.of(host), expected);
            child.setSuccessful(failures.isEmpty());
            addFailure(child, failures);
            out.add(child);
        }
        return out;
    }

    /**
     * One sample per host of a ping scan: message "host up" or "host down", code nmap's reason
     * ("arp-response", "echo-reply", "no-response"), successful when the host is up; latency is
     * the discovery answer's round trip.
     */
    private List<SampleResult> pingSamples(ScanReport report) {
        List<SampleResult> out = new ArrayList<>();
        for (HostResult host : report.hosts()) {
            long rttMillis = host.times().isKnown() ? host.times().srttMicros() / 1000 : 0;
            SampleResult child = new SampleResult(host.startEpochMillis(),
                    host.endEpochMillis() - host.startEpochMillis());
            child.setSampleLabel(PortOutcome.hostForLabel(host.target().addressString()));
            String state = host.up() ? HOST_UP : HOST_DOWN;
            String reason = host.status().reason().nmapName();
            int ttl = host.status().reasonTtl();
            setText(child, host.target().addressString() + " " + state + ", received " + reason
                    + (ttl != 0 ? " ttl " + ttl : "") + "\n");
            child.setResponseCode(reason);
            child.setResponseMessage(state);
            child.setLatency(rttMillis);
            child.setConnectTime(rttMillis);
            child.setSuccessful(host.up());
            if (!host.up()) {
                addFailure(child, List.of(host.target().addressString() + " is down (" + reason + ")"));
            }
            out.add(child);
        }
        return out;
    }

    private List<SampleResult> portSamples(ScanReport report, ExpectationMatrix expected) {
        List<SampleResult> out = new ArrayList<>();
        for (HostResult host : report.hosts()) {
            long hostMillis = host.endEpochMillis() - host.startEpochMillis();
            for (PortResult port : host.ports()) {
                PortOutcome p = PortOutcome.of(host.target(), port);
                // A reply times the probe; a port that never answered cost the whole wait.
                long elapsed = p.rttMicros() >= 0 ? p.rttMillis() : hostMillis;
                SampleResult child = new SampleResult(host.startEpochMillis(), elapsed);
                child.setSampleLabel(p.label());
                setText(child, p.port() + "/tcp " + p.state().nmapName() + " " + p.reasonText() + "\n");
                child.setResponseHeaders(new ScanOutcome(List.of(p)).toHeaders());
                child.setResponseCode(p.state().nmapName());
                child.setResponseMessage(p.reasonText());
                child.setLatency(p.rttMillis());
                child.setConnectTime(p.rttMillis());
                List<String> failures = new ScanOutcome(List.of(p)).mismatches(expected).stream()
                        .map(ScanOutcome.Mismatch::message).toList();
                child.setSuccessful(failures.isEmpty());
                addFailure(child, failures);
                out.add(child);
            }
            if (!host.up()) {
                out.add(downSample(host, hostMillis));
            } else if (host.timedOut()) {
                out.add(timeoutSample(host, hostMillis));
            }
        }
        return out;
    }

    /** A host cut short by --host-timeout has unverified ports: one failed sample says so. */
    private static SampleResult timeoutSample(HostResult host, long hostMillis) {
        SampleResult child = new SampleResult(host.startEpochMillis(), hostMillis);
        child.setSampleLabel(PortOutcome.hostForLabel(host.target().addressString()));
        String message = timeoutMessage(host);
        setText(child, message + "\n");
        child.setResponseCode(ResponseCode.HOST_TIMEOUT.text());
        child.setResponseMessage(message);
        child.setSuccessful(false);
        return child;
    }

    /** A host that discovery found down has no port to sample: one failed sample, coded with nmap's reason, says so. */
    private static SampleResult downSample(HostResult host, long hostMillis) {
        SampleResult child = new SampleResult(host.startEpochMillis(), hostMillis);
        child.setSampleLabel(PortOutcome.hostForLabel(host.target().addressString()));
        String message = downMessage(host);
        setText(child, message + "\n");
        child.setResponseCode(host.status().reason().nmapName());
        child.setResponseMessage(HOST_DOWN);
        child.setSuccessful(false);
        addFailure(child, List.of(message));
        return child;
    }

    private static String downMessage(HostResult host) {
        return host.target().addressString() + " is down (" + host.status().reason().nmapName()
                + "), its ports were not scanned";
    }

    private static String timeoutMessage(HostResult host) {
        return host.target().addressString() + ": skipped after --host-timeout, ports not all scanned";
    }

    private static List<String> failures(ScanOutcome outcome, List<HostResult> hosts, ExpectationMatrix expected) {
        List<String> failures = new ArrayList<>();
        for (HostResult host : hosts) {
            if (!host.up()) {
                failures.add(downMessage(host));
            } else if (host.timedOut()) {
                failures.add(timeoutMessage(host));
            }
        }
        outcome.mismatches(expected).forEach(m -> failures.add(m.message()));
        return failures;
    }

    /** The sampler's own expectation shows up like an assertion: in the JTL's failureMessage. */
    static void addFailure(SampleResult result, List<String> failures) {
        if (failures.isEmpty()) {
            return;
        }
        AssertionResult failure = new AssertionResult(EXPECTATION_NAME);
        failure.setFailure(true);
        failure.setFailureMessage(String.join("; ", failures));
        result.addAssertionResult(failure);
    }

    /** "Scan type: SYN Stealth Scan (-sS)": nmap's name of the method that ran, and its option. */
    static String scanTypeLine(ScanReport report) {
        return "Scan type: " + report.scanType().title() + " (" + report.scanType().option() + ")";
    }

    private static long maxRttMillis(ScanOutcome outcome) {
        long max = 0;
        for (PortOutcome port : outcome.ports()) {
            max = Math.max(max, port.rttMillis());
        }
        return max;
    }

    static void setText(SampleResult result, String text) {
        result.setDataType(SampleResult.TEXT);
        result.setContentType("text/plain");
        // Encoded once: setResponseData(String, charset) would encode it, and the byte count again.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        result.setResponseData(bytes);
        result.setDataEncoding(StandardCharsets.UTF_8.name());
        result.setBytes((long) bytes.length);
    }
}
