package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.testsupport.Expectation;
import io.github.jmeterportscan.testsupport.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Raw scans of a lab host checked against the lab's plan. */
final class LabScans {
    private LabScans() {
    }

    /**
     * Runs {@code job} (one target) {@code times} times, one after the other; returns a line for
     * each port whose state and reason {@code expected} does not accept.
     */
    static List<String> wrongPorts(ScanJob job, Map<Integer, Expectation> expected, int times) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int scan = 0; scan < times; scan++) {
            HostResult host = new RawPortScanner(Links::open).scan(job, ScanObserver.NONE).get(0);
            for (PortResult port : host.ports()) {
                Outcome got = Outcome.of(port.state(), port.reason());
                if (!expected.get(port.port()).accepts(got)) {
                    wrong.add(host.target().displayName() + ":" + port.port() + " expected "
                            + expected.get(port.port()) + ", got " + got);
                }
            }
        }
        return wrong;
    }
}
