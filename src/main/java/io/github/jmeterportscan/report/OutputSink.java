package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.OutputFiles;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The destinations of one run: the terminal plus the files of -oN, -oX and -oG. Like nmap, a
 * format sent to "-" takes over stdout and the terminal flavour of the normal output is then not
 * printed at all (nmap sends it to /dev/null), so the piped output stays parseable.
 *
 * <p>Files are written whole when the scan ends, not line by line as nmap does; so when several
 * formats go to "-" they follow one another (normal, grepable, XML) instead of interleaving.
 *
 * <p>Use: {@link ReportWriters#open} before the scan, {@link #start} when it begins (prints the
 * banner and notes), {@link #finish} with the report, then {@link #close}.
 */
public final class OutputSink implements Closeable {
    private final ReportWriters writers;
    private final PrintStream stdout;
    private final boolean terminal;
    private final List<Destination> destinations;
    private boolean started;

    private record Destination(String kind, String path, ReportWriter writer, Appendable out, Writer file) {
    }

    private OutputSink(ReportWriters writers, PrintStream stdout, boolean terminal, List<Destination> destinations) {
        this.writers = writers;
        this.stdout = stdout;
        this.terminal = terminal;
        this.destinations = List.copyOf(destinations);
    }

    static OutputSink open(ReportWriters writers, OutputFiles outputs, PrintStream stdout) throws ReportException {
        List<Destination> destinations = new ArrayList<>();
        try {
            // nmap's names for its log types, used in its error messages.
            add(destinations, "normal", outputs.normal(), writers.normal(), stdout);
            add(destinations, "machine", outputs.grepable(), writers.grepable(), stdout);
            add(destinations, "XML", outputs.xml(), writers.xml(), stdout);
        } catch (ReportException e) {
            closeQuietly(destinations);
            throw e;
        }
        boolean stdoutTaken = destinations.stream().anyMatch(d -> d.file() == null);
        return new OutputSink(writers, stdout, !stdoutTaken, destinations);
    }

    private static void add(List<Destination> destinations, String kind, Optional<String> path,
            ReportWriter writer, PrintStream stdout) throws ReportException {
        if (path.isEmpty()) {
            return;
        }
        if (path.get().equals("-")) {
            destinations.add(new Destination(kind, "-", writer, stdout, null));
            return;
        }
        try {
            Writer file = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(Path.of(path.get())), StandardCharsets.UTF_8));
            destinations.add(new Destination(kind, path.get(), writer, file, file));
        } catch (IOException | RuntimeException e) {
            throw new ReportException("Failed to open " + kind + " output file " + path.get() + " for writing: "
                    + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Whether the terminal gets nmap's interactive output (no format was sent to "-"). */
    public boolean printsToTerminal() {
        return terminal;
    }

    /** Prints the "Starting ..." banner on the terminal, as nmap does before scanning. */
    public void start(long startEpochMillis) {
        if (terminal && !started) {
            stdout.print(writers.interactive().startingLine(startEpochMillis));
            stdout.flush();
        }
        started = true;
    }

    /** Writes the finished scan to the terminal and to every output. */
    public void finish(ScanReport report) throws ReportException {
        if (terminal) {
            NormalReportWriter interactive = writers.interactive();
            try {
                if (started) {
                    interactive.writeNotes(report, stdout);
                    interactive.writeBody(report, stdout);
                } else {
                    interactive.write(report, stdout);
                }
            } catch (IOException e) {
                throw new ReportException("Failed to write to stdout: " + describe(e), e);
            }
            stdout.flush();
        }
        for (Destination destination : destinations) {
            try {
                destination.writer().write(report, destination.out());
                if (destination.file() != null) {
                    destination.file().flush();
                }
            } catch (IOException e) {
                throw new ReportException("Failed to write " + destination.kind() + " output file "
                        + destination.path() + ": " + describe(e), e);
            }
        }
        stdout.flush();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Destination destination : destinations) {
            if (destination.file() == null) {
                continue;
            }
            try {
                destination.file().close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        stdout.flush();
        if (first != null) {
            throw first;
        }
    }

    private static void closeQuietly(List<Destination> destinations) {
        for (Destination destination : destinations) {
            if (destination.file() != null) {
                try {
                    destination.file().close();
                } catch (IOException ignored) {
                    // already failing; the open error is the one to report
                }
            }
        }
    }
}
