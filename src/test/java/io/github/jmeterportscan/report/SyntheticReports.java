package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reports for cases a live loopback scan cannot produce on demand (timeouts, odd names). */
final class SyntheticReports {
    static final long START = 1_795_597_686_000L;

    private SyntheticReports() {
    }

    /** Ports 1..n closed by RST, except the given open ones. */
    static List<PortResult> closedExcept(int n, int... open) {
        List<PortResult> ports = new ArrayList<>();
        for (int p = 1; p <= n; p++) {
            boolean isOpen = false;
            for (int o : open) {
                isOpen |= o == p;
            }
            ports.add(isOpen ? new PortResult(p, PortState.OPEN, Reason.SYN_ACK, 64, 12)
                    : new PortResult(p, PortState.CLOSED, Reason.RESET, 64, 10));
        }
        return ports;
    }

    static HostResult host(String address, Optional<String> name, List<PortResult> ports, boolean timedOut)
            throws UnknownHostException {
        return new HostResult(new Target(InetAddress.getByName(address), name), ports, START + 100, START + 1300,
                timedOut, new HostTimes(12, 5, 100_000));
    }

    static ScanReport report(ScanRequest request, List<String> notes, HostResult... hosts) {
        return new ScanReport(request, request.scanType().orElse(ScanType.SYN), notes, List.of(hosts), START,
                START + 1530);
    }

    static ScanRequest request(int ports, int verbosity, boolean reason, boolean open, List<String> arguments) {
        return TestRequests.request(ScanType.SYN, PortSet.range(1, ports), reason, open, verbosity,
                List.of("127.0.0.1"), arguments);
    }
}
