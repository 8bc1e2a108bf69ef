package io.github.jmeterportscan.trace;

import io.github.jmeterportscan.cli.InProcessCli;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.TargetExpander;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.PortBehavior;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The lab layout and helpers shared by the packet-trace tests. */
final class TraceLab {
    static final String PREFIX = "ps-trace-";
    static final String V4_BLOCK = "198.18.50.0/24";
    static final String V6_BLOCK = "2001:db8:50::/64";
    static final int OPEN = 22;
    static final int CLOSED = 81;
    static final int DROPPED = 82;
    static final int REJECTED = 87;
    static final String PORTS = OPEN + "," + CLOSED + "," + DROPPED + "," + REJECTED;

    private TraceLab() {
    }

    /** The three answers of a SYN scan plus an ICMP port-unreachable reject. */
    /** Starts the trace lab in its own namespace and address blocks, after removing leftovers. */
    static NetnsLab start(String prefix, String v4Block, String v6Block) {
        NetnsLab.cleanupLeftovers(prefix);
        return NetnsLab.builder().prefix(prefix).subnets(v4Block, v6Block).plan(plan()).start();
    }

    static LabPortPlan plan() {
        return LabPortPlan.builder().open(OPEN).closed(CLOSED).drop(DROPPED)
                .port(REJECTED, PortBehavior.ICMP_PORT_UNREACHABLE, PortBehavior.ICMPV6_PORT_UNREACHABLE)
                .build();
    }

    /** Quick timing for a lab with a dropped port: two tries, 200 ms timeouts. */
    static List<String> synScanArgs(IpFamily family, String ports, String target, String... extra) {
        List<String> args = new ArrayList<>(List.of("-sS", "-Pn", "-n", "--max-retries", "1", "--max-rtt-timeout",
                "200ms", "--reason", "-p", ports));
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        args.addAll(Arrays.asList(extra));
        args.add(target);
        return args;
    }

    /** Runs a scan through the public engine API, as the JMeter sampler will. */
    static ScanReport scan(List<String> args, ScanObserver observer) throws Exception {
        ScanRequest request = NmapCommandLine.parse(args.toArray(String[]::new));
        return ScanEngines.standard().run(request, new TargetExpander().expand(request).targets(), List.of(), observer);
    }

    /** Runs the CLI in this JVM. */
    static InProcessCli cli(List<String> args) {
        return InProcessCli.run(args);
    }

    /** tshark's output for {@code file} (fields or a display filter given in {@code options}). */
    static List<String> tshark(Path file, String... options) {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(Arrays.asList(options));
        Commands.Result result = Commands.run(Duration.ofSeconds(60), command);
        return result.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    static int tsharkCount(Path file, String displayFilter) {
        return tshark(file, "-Y", displayFilter).size();
    }
}
