package io.github.jmeterportscan.cli;

import io.github.jmeterportscan.scan.ScanEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The command line run in the test's JVM, with what it printed. */
public record InProcessCli(int status, String stdout, String stderr) {
    /** Runs {@code args} as {@code portscan args} would, on the standard engines. */
    public static InProcessCli run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), ScanEngines.standard())
                .run(args.toArray(String[]::new));
        return new InProcessCli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
