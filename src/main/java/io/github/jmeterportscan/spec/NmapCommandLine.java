package io.github.jmeterportscan.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads an nmap command line into a {@link ScanRequest}, accepting nmap 7.93's syntax and
 * answering bad input with nmap's own messages. Options of nmap that this TCP port scanner does
 * not implement (UDP and other scan types, -sV, -O, -A, scripts, UDP/SCTP discovery probes, ...) are
 * refused with a message that says so, rather than silently ignored.
 *
 * <p>Checks run in nmap's order: option by option as written, then the delayed timing values,
 * scan-type consistency, and finally the port lists and exclude files.
 */
public final class NmapCommandLine {
    private final ServiceTable services;
    private final String program;

    public NmapCommandLine() {
        this(ServiceTable.system(), "nmap");
    }

    /**
     * @param services service table for -p names and top-ports
     * @param program  the program name getopt's messages start with (nmap prints argv[0])
     */
    public NmapCommandLine(ServiceTable services, String program) {
        this.services = services;
        this.program = program;
    }

    /**
     * Parses with the installed service table.
     *
     * @throws ScanSpecException with nmap's message, or when -h/-V was given (no scan to run)
     */
    public static ScanRequest parse(String... args) throws ScanSpecException {
        ParsedCommandLine parsed = new NmapCommandLine().parseCommandLine(Arrays.asList(args));
        return parsed.request().orElseThrow(() -> new ScanSpecException(
                "-h and -V print information and do not describe a scan"));
    }

    public ParsedCommandLine parseCommandLine(List<String> args) throws ScanSpecException {
        checkDashes(args);
        CommandLineBuilder b = new CommandLineBuilder(services, args);
        try {
            new Getopt(program).parse(args, b);
        } catch (Stop stop) {
            return new ParsedCommandLine(stop.action, Optional.empty(), b.warnings);
        }
        return new ParsedCommandLine(ParsedCommandLine.Action.SCAN, Optional.of(b.finish()), b.warnings);
    }

    /** Editors turn "-" into typographic dashes; nmap checks for them before anything else. */
    private static void checkDashes(List<String> args) throws ScanSpecException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.isEmpty() && a.charAt(0) >= '\u2010' && a.charAt(0) <= '\u2015') {
                throw new ScanSpecException("Unparseable option (dash, not '-') in argument " + (i + 1));
            }
        }
    }

    /** -h or -V: nmap prints and exits at once, ignoring the rest of the line. */
    static final class Stop extends ScanSpecException {
        private static final long serialVersionUID = 1L;
        final transient ParsedCommandLine.Action action;

        Stop(ParsedCommandLine.Action action) {
            super(action.name());
            this.action = action;
        }
    }

    static ScanSpecException unsupported(String spelled) {
        return new ScanSpecException("Option " + spelled + " is not supported by this scanner, which does TCP port "
                + "scans only (-sS, -sT, -sA).");
    }
}
