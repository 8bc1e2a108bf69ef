package io.github.jmeterportscan.jmeter.it;

import io.github.jmeterportscan.testsupport.Commands;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A virtual X display for one test, on the first free display number (Xvfb picks it and tells us). */
final class Xvfb implements AutoCloseable {
    private final Process process;
    private final String display;

    private Xvfb(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    static boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "Xvfb"))) {
                return true;
            }
        }
        return false;
    }

    static Xvfb start(Path log, Duration timeout) throws IOException, InterruptedException {
        // -displayfd 1: choose a free display and print its number on stdout once the server accepts clients
        Process process = Commands.start(new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1600x1000x24",
                "-nolisten", "tcp").redirectError(log.toFile()));
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            // not closed after the line: Xvfb keeps the pipe as its stdout for as long as it runs
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = number.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.trim().matches("\\d+")) {
                throw new IllegalStateException("Xvfb did not start; see " + log);
            }
            return new Xvfb(process, ":" + line.trim());
        } catch (ExecutionException | TimeoutException e) {
            Commands.stop(process);
            throw new IllegalStateException("Xvfb did not report a display within " + timeout + "; see " + log, e);
        }
    }

    String display() {
        return display;
    }

    @Override
    public void close() {
        Commands.stop(process);
    }
}
