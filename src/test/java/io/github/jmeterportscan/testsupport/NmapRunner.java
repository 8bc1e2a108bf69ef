package io.github.jmeterportscan.testsupport;

import io.github.jmeterportscan.spec.ScanType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the real nmap as the reference for differential tests. Every run gets {@code -n} (no DNS)
 * and {@code -Pn} (no host discovery: lab targets are known to be up), writes XML to a temporary
 * file that is parsed and deleted, and is killed if it outlives its timeout.
 *
 * <pre>{@code
 * NmapRun run = NmapRunner.scan(Duration.ofSeconds(60), "-sS", "-p", "22,80", "198.18.20.2");
 * Outcome o = run.onlyHost().tcp(22).outcome();
 * }</pre>
 */
public final class NmapRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NmapRunner.class);

    private NmapRunner() {
    }

    /** The finished run: the parsed XML plus what nmap printed (useful in assertion messages). */
    public record Result(NmapRun run, String stdout, String stderr) {
    }

    /** Runs {@code nmap -n -Pn -oX <tmp> <args...>}; {@code args} includes the targets. */
    public static NmapRun scan(Duration timeout, String... args) {
        return scanWithOutput(timeout, List.of(args)).run();
    }

    /**
     * A scan of the lab's ports with quick timing: {@code --max-retries 1 --max-rtt-timeout 200ms}
     * and {@code -6} for IPv6. {@code extraArgs} come before the target.
     */
    public static NmapRun scanLab(Duration timeout, ScanType scanType, IpFamily family, String ports, String target,
            String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(scanType.option(), "--max-retries", "1",
                "--max-rtt-timeout", "200ms", "-p", ports));
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        args.addAll(Arrays.asList(extraArgs));
        args.add(target);
        return scanWithOutput(timeout, args).run();
    }

    /**
     * nmap's {@code ndiff} on two XML files, whatever its verdict: exit status 0 when the hosts and
     * ports agree, 1 when they differ, 2 when it could not read a file.
     */
    public static Commands.Result ndiff(Path nmapXml, Path otherXml) {
        return Commands.runAllowingFailure(Duration.ofSeconds(60), List.of("ndiff", nmapXml.toString(),
                otherXml.toString()));
    }

    public static Result scanWithOutput(Duration timeout, List<String> args) {
        Path xml;
        try {
            xml = Files.createTempFile("nmap-", ".xml");
        } catch (IOException e) {
            throw new LabException("cannot create a temporary file for nmap's XML: " + e.getMessage(), e);
        }
        try {
            List<String> command = new ArrayList<>(List.of("nmap", "-n", "-Pn", "-oX", xml.toString()));
            command.addAll(args);
            LOG.info("running {}", String.join(" ", command));
            Commands.Result result = Commands.runAllowingFailure(timeout, command);
            if (!result.succeeded()) {
                throw new LabException(result.describe() + "\nstdout: " + result.stdout().strip());
            }
            NmapRun run = NmapXml.parse(xml);
            if (!run.exit().isEmpty() && !run.exit().equals("success")) {
                throw new LabException("nmap reported " + run.exit() + ": " + run.errorMsg());
            }
            return new Result(run, result.stdout(), result.stderr());
        } finally {
            try {
                Files.deleteIfExists(xml);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", xml, e.getMessage());
            }
        }
    }
}
