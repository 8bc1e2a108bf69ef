package io.github.jmeterportscan.spec;

import io.github.jmeterportscan.testsupport.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the installed nmap (always with -n: no DNS) and captures what it prints. */
final class NmapProcess {
    record Output(int exitCode, String stdout, String stderr) {
        /** stderr lines without nmap's closing "QUITTING!". */
        List<String> errorLines() {
            List<String> out = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (!line.isBlank() && !line.equals("QUITTING!")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    private NmapProcess() {
    }

    static void requireNmap() {
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/nmap")), "nmap 7.93 is not installed");
    }

    static Output run(List<String> args) throws IOException, InterruptedException {
        requireNmap();
        List<String> command = new ArrayList<>();
        command.add("nmap");
        command.add("-n");
        command.addAll(args);
        Path out = Files.createTempFile("nmap", ".out");
        Path err = Files.createTempFile("nmap", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("nmap did not finish: " + command);
            }
            return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
