package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way the tests start external processes. {@link #run} runs a command ({@code ip},
 * {@code nft}, {@code nmap}) to completion with a deadline, its output drained on separate threads
 * so a chatty command can never block on a full pipe. {@link #start} starts a process that runs
 * beside the test (a listener, a capture, a JMeter, a scan under test), and {@link #stop} ends it
 * and whatever it started.
 */
public final class Commands {
    private Commands() {
    }

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** A one-line description for error messages: the command, its exit code and stderr. */
        public String describe() {
            return "`" + String.join(" ", command) + "` exited with " + exitCode
                    + (stderr.isBlank() ? "" : ": " + stderr.strip());
        }
    }

    /** Runs {@code command}; a non-zero exit status is a {@link LabException}. */
    public static Result run(Duration timeout, List<String> command) {
        Result result = runAllowingFailure(timeout, command);
        if (!result.succeeded()) {
            throw new LabException(result.describe());
        }
        return result;
    }

    /** Whether {@code program} is an executable on the PATH. */
    public static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    /** Runs {@code command} and returns whatever exit status it had; only a timeout or a failure to start throws. */
    public static Result runAllowingFailure(Duration timeout, List<String> command) {
        Process process = start(new ProcessBuilder(command));
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin is only closed so that a command waiting for input sees EOF at once
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
                throw new LabException("`" + String.join(" ", command) + "` did not finish within " + timeout
                        + "; stderr so far: " + err.getNow("").strip());
            }
            return new Result(List.copyOf(command), process.exitValue(), out.get(2, TimeUnit.SECONDS),
                    err.get(2, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running `" + String.join(" ", command) + "`", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new LabException("cannot read the output of `" + String.join(" ", command) + "`", e);
        }
    }

    /**
     * Starts {@code builder}'s process; the caller owns it and ends it with {@link #stop} (or waits
     * for it with a deadline).
     *
     * @throws LabException when the program cannot be started, with its command line
     */
    public static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start `" + String.join(" ", builder.command()) + "`: " + e.getMessage()
                    + " (is it installed and on PATH?)", e);
        }
    }

    /** As {@link #stop(Process, Duration)} with five seconds' grace. */
    public static void stop(Process process) {
        stop(process, Duration.ofSeconds(5));
    }

    /**
     * Ends a process the tests started, and whatever it started, politely first: SIGTERM, then
     * SIGKILL to whatever is left after {@code grace}. A null process is ignored.
     */
    public static void stop(Process process, Duration grace) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads a stream to its end on a thread of its own (not the common pool: blocking reads there
     * could starve other work on a 2-core machine).
     */
    static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        }, "command-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
