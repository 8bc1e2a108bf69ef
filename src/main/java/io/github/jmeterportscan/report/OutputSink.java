package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.OutputFiles;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The destinations of one run: the terminal plus the files of -oN, -oX and -oG. Like nmap, a
 * format sent to "-" takes over stdout and the terminal flavour of the normal output is then not
 * printed at all (nmap sends it to /dev/null), so the piped output stays parseable.
 *
 * <p>Every destination is written as the scan goes, as nmap writes them: the opening lines when
 * the scan starts, each host when its scan is done, the closing lines at the end; each piece is
 * flushed to the operating system at once. Whenever the process stops, the files hold everything
 * decided up to then, and a scan that is interrupted still gets its closing lines, saying so. Hosts
 * are written in target order (a host done early waits for those before it), so the finished
 * documents are the same as written whole.
 *
 * <p>Use: {@link ReportWriters#open} before the scan, {@link #start} when it begins, {@link #host}
 * for each host done (from the scan thread), {@link #finish} with the report (finished or
 * interrupted), then {@link #close}. Thread-safe.
 */
public final class OutputSink implements Closeable {
    /** FileNotFoundException's message: "path (reason)". */
    private static final Pattern FILE_ERROR = Pattern.compile(".* \\((.+)\\)$");

    private final ReportWriters writers;
    private final PrintStream stdout;
    private final boolean terminal;
    private final List<Destination> destinations;
    private final StringBuilder text = new StringBuilder();
    /** Done hosts that wait for an earlier one, by target index. */
    private final Map<Integer, HostResult> waiting = new HashMap<>();
    private ScanHeader header;
    /** Hosts 0 to written - 1 of the target list are out. */
    private int written;

    /** One format's destination; it stops being written after it failed once. */
    private static final class Destination {
        final String kind;
        final String path;
        final ReportWriter writer;
        /** Null when the format goes to stdout. */
        final Writer file;
        ReportException failure;

        Destination(String kind, String path, ReportWriter writer, Writer file) {
            this.kind = kind;
            this.path = path;
            this.writer = writer;
            this.file = file;
        }
    }

    /** One piece of a format. */
    @FunctionalInterface
    private interface Piece {
        void writeTo(ReportWriter writer, Appendable out) throws IOException;
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
            add(destinations, "normal", outputs.normal(), writers.normal());
            add(destinations, "machine", outputs.grepable(), writers.grepable());
            add(destinations, "XML", outputs.xml(), writers.xml());
        } catch (ReportException e) {
            closeQuietly(destinations);
            throw e;
        }
        boolean stdoutTaken = destinations.stream().anyMatch(d -> d.file == null);
        return new OutputSink(writers, stdout, !stdoutTaken, destinations);
    }

    private static void add(List<Destination> destinations, String kind, Optional<String> path, ReportWriter writer)
            throws ReportException {
        if (path.isEmpty()) {
            return;
        }
        if (path.get().equals("-")) {
            destinations.add(new Destination(kind, "-", writer, null));
            return;
        }
        try {
            // A FileOutputStream, not a channel: an interrupt of the writing thread (which is how a
            // scan is stopped) must not close the file before its closing lines are in.
            Writer file = new BufferedWriter(
                    new OutputStreamWriter(new FileOutputStream(path.get()), StandardCharsets.UTF_8));
            destinations.add(new Destination(kind, path.get(), writer, file));
        } catch (IOException | RuntimeException e) {
            throw new ReportException("Failed to open " + kind + " output file " + path.get() + " for writing: "
                    + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof FileNotFoundException && e.getMessage() != null) {
            Matcher reason = FILE_ERROR.matcher(e.getMessage());
            if (reason.matches()) {
                return reason.group(1);
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Whether the terminal gets nmap's interactive output (no format was sent to "-"). */
    public boolean printsToTerminal() {
        return terminal;
    }

    /**
     * Writes the opening lines everywhere: the "Starting ..." banner and the notes on the terminal,
     * the header of each format. Called once, when the scan starts.
     */
    public synchronized void start(ScanHeader scan) throws ReportException {
        if (header != null) {
            throw new IllegalStateException("the outputs were started already");
        }
        header = scan;
        writeEverywhere((writer, out) -> writer.writeHeader(scan, out));
        throwFirstFailure();
    }

    /**
     * A host's scan is done: it is written now, or as soon as the hosts before it in the target
     * list are. A destination that fails stops being written; {@link #finish} reports it.
     *
     * @param index the host's position in the target list
     */
    public synchronized void host(int index, HostResult result) {
        if (header == null || index < written) {
            return;
        }
        waiting.put(index, result);
        HostResult next;
        while ((next = waiting.remove(written)) != null) {
            HostResult host = next;
            int position = written;
            writeEverywhere((writer, out) -> writer.writeHost(header, position, host, out));
            written++;
        }
    }

    /**
     * Writes the hosts not written yet and the closing lines: "Nmap done", or, for a report of an
     * interrupted scan, lines that say it was interrupted and by what.
     *
     * @param report the whole scan, or the hosts whose scan had begun when it was interrupted
     * @throws ReportException when a destination could not be written, now or during the scan
     */
    public synchronized void finish(ScanReport report) throws ReportException {
        if (header == null) {
            start(report.header());
        }
        waiting.clear();
        List<HostResult> hosts = report.hosts();
        for (int i = written; i < hosts.size(); i++) {
            int index = i;
            writeEverywhere((writer, out) -> writer.writeHost(header, index, hosts.get(index), out));
        }
        written = Math.max(written, hosts.size());
        writeEverywhere((writer, out) -> writer.writeFooter(report, out));
        throwFirstFailure();
    }

    /** Renders one piece of every format and writes it out, flushed. */
    private void writeEverywhere(Piece piece) {
        if (terminal) {
            render(piece, writers.interactive());
            printOnStdout();
        }
        for (Destination destination : destinations) {
            if (destination.failure != null) {
                continue;
            }
            render(piece, destination.writer);
            if (destination.file == null) {
                printOnStdout();
                continue;
            }
            try {
                destination.file.append(text);
                destination.file.flush();
            } catch (IOException e) {
                destination.failure = new ReportException("Failed to write " + destination.kind + " output file "
                        + destination.path + ": " + describe(e), e);
            }
        }
    }

    private void render(Piece piece, ReportWriter writer) {
        text.setLength(0);
        try {
            piece.writeTo(writer, text);
        } catch (IOException e) {
            throw new IllegalStateException("StringBuilder cannot fail", e);
        }
    }

    /** One print per piece: --packet-trace lines, printed by other threads, go between pieces, not into them. */
    private void printOnStdout() {
        synchronized (stdout) {
            stdout.append(text);
            stdout.flush();
        }
    }

    private void throwFirstFailure() throws ReportException {
        for (Destination destination : destinations) {
            if (destination.failure != null) {
                throw destination.failure;
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Destination destination : destinations) {
            if (destination.file == null) {
                continue;
            }
            try {
                destination.file.close();
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
            if (destination.file != null) {
                try {
                    destination.file.close();
                } catch (IOException ignored) {
                    // already failing; the open error is the one to report
                }
            }
        }
    }
}
