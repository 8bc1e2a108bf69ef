package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.jmeter.assertions.Assertion;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testbeans.TestBean;
import org.apache.jmeter.testelement.AbstractTestElement;

/**
 * "Port State Assertion": checks the ports of a Port Scan (Nmap) sample against an expected-state
 * matrix ({@link ExpectationMatrix}: {@code 443=open, 22=filtered, 1-1024 except 443=closed|filtered})
 * and/or a baseline nmap XML file ({@link Baseline}). For a port named by both, the matrix wins.
 *
 * <p>It reads the ports from the sample's {@link ScanOutcome} response headers, so it works on
 * any granularity. With sub-samples, a differing port also fails its own sub-sample (the one the
 * HTML dashboard counts) and the container's message is brought up to date. The failure message
 * names every differing port: {@code 127.0.0.1:22/tcp: expected filtered, got open (syn-ack)}.
 */
public class PortStateAssertion extends AbstractTestElement implements Assertion, TestBean {
    private static final long serialVersionUID = 1L;
    /** Past this many differing ports the message says how many more there are. */
    static final int MAX_LISTED = 50;

    private String expectedStates = "";
    private String baselineFile = "";

    @Override
    public AssertionResult getResult(SampleResult sample) {
        AssertionResult result = new AssertionResult(getName());
        ScanOutcome outcome;
        try {
            outcome = ScanOutcome.fromHeaders(sample.getResponseHeaders());
        } catch (IllegalArgumentException e) {
            return result.setResultForFailure(e.getMessage());
        }
        if (outcome.isEmpty()) {
            String why = sample.isSuccessful() ? "" : " (" + sample.getResponseCode() + ": "
                    + sample.getResponseMessage() + ")";
            return result.setResultForFailure("No port scan result in sample \"" + sample.getSampleLabel() + "\"" + why);
        }
        List<ScanOutcome.Mismatch> mismatches;
        try {
            mismatches = mismatches(outcome);
        } catch (ScanSpecException e) {
            result.setError(true);
            result.setFailureMessage(e.getMessage());
            return result;
        }
        if (mismatches.isEmpty()) {
            return result;
        }
        failSubSamples(sample, mismatches);
        return result.setResultForFailure(describe(mismatches));
    }

    private List<ScanOutcome.Mismatch> mismatches(ScanOutcome outcome) throws ScanSpecException {
        ServiceTable services = ServiceTable.system();
        ExpectationMatrix matrix = ExpectationMatrix.parse(expectedStates, services);
        Baseline baseline = baselineFile == null || baselineFile.isBlank()
                ? Baseline.NONE : Baseline.read(Path.of(baselineFile.trim()), services);
        if (matrix.isEmpty() && baseline == Baseline.NONE) {
            throw new ScanSpecException("Nothing to check: fill in Expected states or Baseline nmap XML");
        }
        List<ScanOutcome.Mismatch> out = new ArrayList<>();
        for (PortOutcome port : outcome.ports()) {
            Optional<ExpectedStates> expected = matrix.expectationFor(port.port())
                    .or(() -> baseline.expectationFor(port.host(), port.port()));
            expected.filter(e -> !e.matches(port.state()))
                    .ifPresent(e -> out.add(new ScanOutcome.Mismatch(port, e.toString())));
        }
        return out;
    }

    /** Per-port and per-host sub-samples are what the dashboard counts: fail the ones concerned. */
    private void failSubSamples(SampleResult parent, List<ScanOutcome.Mismatch> mismatches) {
        SampleResult[] children = parent.getSubResults();
        if (children.length == 0) {
            return;
        }
        Map<SampleResult, List<String>> failing = new LinkedHashMap<>();
        for (ScanOutcome.Mismatch m : mismatches) {
            for (SampleResult child : children) {
                if (child.getSampleLabel().equals(m.port().label())
                        || child.getSampleLabel().equals(PortOutcome.hostForLabel(m.port().host()))) {
                    failing.computeIfAbsent(child, c -> new ArrayList<>()).add(m.message());
                }
            }
        }
        failing.forEach((child, messages) -> {
            AssertionResult own = new AssertionResult(getName());
            own.setFailure(true);
            own.setFailureMessage(String.join("; ", messages));
            child.addAssertionResult(own);
            child.setSuccessful(false);
        });
        if (ResultMapper.isContainer(parent)) {
            ResultMapper.markContainer(parent);
        }
    }

    static String describe(List<ScanOutcome.Mismatch> mismatches) {
        StringBuilder out = new StringBuilder();
        int listed = Math.min(MAX_LISTED, mismatches.size());
        for (int i = 0; i < listed; i++) {
            out.append(i == 0 ? "" : "; ").append(mismatches.get(i).message());
        }
        if (mismatches.size() > listed) {
            out.append("; ... and ").append(mismatches.size() - listed).append(" more ports");
        }
        return out.toString();
    }

    public String getExpectedStates() {
        return expectedStates;
    }

    public void setExpectedStates(String expectedStates) {
        this.expectedStates = expectedStates;
    }

    public String getBaselineFile() {
        return baselineFile;
    }

    public void setBaselineFile(String baselineFile) {
        this.baselineFile = baselineFile;
    }
}
