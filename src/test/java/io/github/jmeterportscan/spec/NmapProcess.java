package io.github.jmeterportscan.spec;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.NoDnsNamespace;
import io.github.jmeterportscan.testsupport.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the installed nmap (with -n, and inside a namespace whose only name server is its own
 * loopback, so that names are looked up in /etc/hosts or fail without a DNS query) and captures
 * what it prints.
 */
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

    static Output run(List<String> args) {
        requireNmap();
        List<String> command = new ArrayList<>(NoDnsNamespace.commandPrefix());
        command.add("nmap");
        command.add("-n");
        command.addAll(args);
        Commands.Result result = Commands.runAllowingFailure(Duration.ofSeconds(30), command);
        return new Output(result.exitCode(), result.stdout(), result.stderr());
    }
}
