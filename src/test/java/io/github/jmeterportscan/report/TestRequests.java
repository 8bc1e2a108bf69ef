package io.github.jmeterportscan.report;

import io.github.jmeterportscan.spec.OutputFiles;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Timing;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** ScanRequests for report tests. */
final class TestRequests {
    /** nmap's -T3 ("normal") values, written out by hand. */
    static final Timing T3 = new Timing(3, Duration.ofMillis(1000), Duration.ofMillis(100),
            Duration.ofMillis(10_000), 10, Duration.ZERO, Duration.ofMillis(1000), Duration.ZERO, 0, 0);

    private TestRequests() {
    }

    static ScanRequest request(ScanType type, PortSet ports, boolean reason, boolean openOnly, int verbosity,
            List<String> targets, List<String> arguments) {
        return new ScanRequest(Optional.of(type), targets, List.of(), List.of(), ports, T3, false, OptionalInt.empty(),
                Optional.empty(), true, false, reason, openOnly, verbosity, false, OutputFiles.NONE, arguments);
    }
}
