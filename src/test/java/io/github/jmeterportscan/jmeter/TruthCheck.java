package io.github.jmeterportscan.jmeter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.jmeter.engine.util.NoThreadClone;
import org.apache.jmeter.samplers.SampleEvent;
import org.apache.jmeter.samplers.SampleListener;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testelement.AbstractTestElement;

/**
 * A listener that holds every sample of a plan against the truth of its target: the sampler named
 * by the sample's label scans {@link Scan#address()}, and each of {@link Scan#states()}' ports
 * must come back, once, in its state. It reads the per-port lines of the response headers and the
 * per-port sub-samples itself rather than trusting the sampler's own expectation, and counts the
 * probes (ports) it saw. One instance serves every thread (NoThreadClone).
 */
final class TruthCheck extends AbstractTestElement implements SampleListener, NoThreadClone {
    private static final long serialVersionUID = 1L;
    private static final String PORT_LINE = "X-PortScan-Port: ";
    private static final int KEPT_PROBLEMS = 20;

    /** What one sampler scans: one address, and each port's true state (nmap's name). */
    record Scan(String address, Map<Integer, String> states) {
        String label(int port) {
            return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port + "/tcp";
        }
    }

    private final transient Map<String, Scan> truthByLabel;
    private final transient LongAdder samples = new LongAdder();
    private final transient LongAdder probes = new LongAdder();
    private final transient AtomicInteger problemCount = new AtomicInteger();
    private final transient List<String> firstProblems = new ArrayList<>();

    TruthCheck(Map<String, Scan> truthByLabel) {
        this.truthByLabel = Map.copyOf(truthByLabel);
        setName("truth check");
    }

    long samples() {
        return samples.sum();
    }

    long probes() {
        return probes.sum();
    }

    int problemCount() {
        return problemCount.get();
    }

    synchronized List<String> firstProblems() {
        return List.copyOf(firstProblems);
    }

    @Override
    public void sampleOccurred(SampleEvent event) {
        SampleResult result = event.getResult();
        samples.increment();
        Scan scan = truthByLabel.get(result.getSampleLabel());
        if (scan == null) {
            problem("a sample nobody expects: " + result.getSampleLabel());
            return;
        }
        if (!result.isSuccessful()) {
            problem(result.getSampleLabel() + " failed: " + result.getResponseCode() + " "
                    + result.getResponseMessage() + " " + result.getFirstAssertionFailureMessage());
        }
        checkPortLines(result, scan);
        SampleResult[] children = result.getSubResults();
        if (children.length > 0) {
            checkSubSamples(result.getSampleLabel(), children, scan);
        }
    }

    /** One header line per port of the scan, each with the port's true state. */
    private void checkPortLines(SampleResult result, Scan scan) {
        String headers = result.getResponseHeaders();
        int lines = 0;
        int from = 0;
        while ((from = headers.indexOf(PORT_LINE, from)) >= 0) {
            int end = headers.indexOf('\n', from);
            String[] fields = headers.substring(from + PORT_LINE.length(), end < 0 ? headers.length() : end).split(" ");
            from = end < 0 ? headers.length() : end;
            lines++;
            int port = Integer.parseInt(fields[1]);
            String truth = scan.states().get(port);
            if (!scan.address().equals(fields[0]) || !fields[2].equals(truth)) {
                problem(result.getSampleLabel() + ": " + fields[0] + " port " + port + " came back " + fields[2] + " ("
                        + fields[3] + "), the truth is " + scan.address() + " " + truth);
            }
        }
        probes.add(lines);
        if (lines != scan.states().size()) {
            problem(result.getSampleLabel() + ": " + lines + " ports in the result, " + scan.states().size()
                    + " scanned");
        }
    }

    /** Per-port samples: one per port, labelled with it, its state as response code. */
    private void checkSubSamples(String parent, SampleResult[] children, Scan scan) {
        if (children.length != scan.states().size()) {
            problem(parent + ": " + children.length + " sub-samples for " + scan.states().size() + " ports");
        }
        for (SampleResult child : children) {
            String label = child.getSampleLabel();
            int port = Integer.parseInt(label.substring(label.lastIndexOf(':') + 1, label.length() - "/tcp".length()));
            String truth = scan.states().get(port);
            if (!label.equals(scan.label(port)) || !child.getResponseCode().equals(truth) || !child.isSuccessful()) {
                problem(parent + " sub-sample " + label + ": " + child.getResponseCode() + " (success "
                        + child.isSuccessful() + "), the truth is " + truth);
            }
        }
    }

    private void problem(String what) {
        if (problemCount.getAndIncrement() < KEPT_PROBLEMS) {
            synchronized (this) {
                firstProblems.add(what);
            }
        }
    }

    @Override
    public void sampleStarted(SampleEvent event) {
        // only finished samples carry results
    }

    @Override
    public void sampleStopped(SampleEvent event) {
        // only finished samples carry results
    }
}
