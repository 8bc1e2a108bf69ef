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
 * Runs an external command ({@code ip}, {@code nft}, {@code nmap}) to completion with a deadline.
 * Output is drained on separate threads so a chatty command can never block on a full pipe.
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
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new LabException("cannot start `" + String.join(" ", command) + "`: " + e.getMessage()
                    + " (is it installed and on PATH?)", e);
        }
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
