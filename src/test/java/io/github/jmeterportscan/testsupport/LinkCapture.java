package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A live capture of one interface by dumpcap, independent of the scanner's own capture: what a
 * test reads back with {@link #packets} is what crossed the link while the capture ran. For tests
 * that prove a packet did not leave, the positive case belongs in the same capture (a probe that
 * must show), so that an empty answer cannot come from a capture that saw nothing.
 *
 * <p>Needs root and dumpcap/tshark (package tshark).
 */
public final class LinkCapture implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** Time for packets sent just before {@link #stop()} to reach dumpcap's buffer. */
    private static final long SETTLE_MILLIS = 300;

    private final Process dumpcap;
    private final Path file;
    private final StringBuilder stderr = new StringBuilder();
    private boolean stopped;

    private LinkCapture(Process dumpcap, Path file) {
        this.dumpcap = dumpcap;
        this.file = file;
    }

    /**
     * Starts capturing on {@code interfaceName} into {@code file} (pcap) and returns once dumpcap
     * has its capture open.
     *
     * @param bpfFilter a libpcap filter ("tcp and src port 4711"), or empty for every frame
     */
    public static LinkCapture start(String interfaceName, String bpfFilter, Path file) {
        Privileges.require(Commands.installed("dumpcap") && Commands.installed("tshark"),
                "dumpcap and tshark are needed to capture on a link (apt-get install tshark)");
        List<String> command = new ArrayList<>(List.of("dumpcap", "-P", "-q", "-i", interfaceName, "-w",
                file.toString()));
        if (!bpfFilter.isEmpty()) {
            command.addAll(List.of("-f", bpfFilter));
        }
        Process process = Commands.start(new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD));
        LinkCapture capture = new LinkCapture(process, file);
        capture.awaitStart(String.join(" ", command));
        return capture;
    }

    /** Reads dumpcap's stderr up to its "File: ..." line, printed once the capture is open. */
    private void awaitStart(String command) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        InputStream err = dumpcap.getErrorStream();
        try {
            while (System.nanoTime() < deadline) {
                if (err.available() == 0) {
                    if (!dumpcap.isAlive()) {
                        break;
                    }
                    Thread.sleep(10);
                    continue;
                }
                int c = err.read();
                if (c < 0) {
                    break;
                }
                stderr.append((char) c);
                if (c == '\n' && stderr.toString().contains("File: ")) {
                    Commands.drain(err);
                    return;
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot read dumpcap's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dumpcap.destroyForcibly();
        throw new LabException("`" + command + "` did not start capturing within " + START_TIMEOUT + ": " + stderr);
    }

    /** Lets the last packets arrive, ends the capture and returns its file. */
    public Path stop() {
        if (stopped) {
            return file;
        }
        stopped = true;
        try {
            Thread.sleep(SETTLE_MILLIS);
            dumpcap.destroy(); // SIGTERM: dumpcap writes what it holds and exits
            if (!dumpcap.waitFor(10, TimeUnit.SECONDS)) {
                dumpcap.destroyForcibly();
                throw new LabException("dumpcap did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            dumpcap.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while stopping dumpcap", e);
        }
        return file;
    }

    /**
     * The captured packets that match a Wireshark display filter, one line each: the fields asked
     * for (tab-separated), or tshark's summary line when none are.
     */
    public List<String> packets(String displayFilter, String... fields) {
        stop();
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        if (!displayFilter.isEmpty()) {
            command.addAll(List.of("-Y", displayFilter));
        }
        if (fields.length > 0) {
            command.addAll(List.of("-T", "fields"));
            for (String field : fields) {
                command.addAll(List.of("-e", field));
            }
        }
        Commands.Result result = Commands.run(Duration.ofSeconds(60), command);
        return result.stdout().lines().filter(line -> !line.isBlank()).toList();
    }

    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            dumpcap.destroy();
        }
        try {
            dumpcap.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dumpcap.isAlive()) {
            dumpcap.destroyForcibly();
        }
    }
}
