package io.github.jmeterportscan.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Collects the options and operands of one nmap command line as {@link Getopt} reads them, checks
 * each in nmap's order, and builds the {@link ScanRequest} they describe.
 */
final class CommandLineBuilder implements Getopt.Handler {
    /** nmap options that change nothing for a TCP port scan without DNS; accepted and ignored. */
    private static final Set<String> IGNORED = Set.of("log-errors", "noninteractive", "system-dns",
            "dns-servers", "stats-every", "no-stylesheet", "stylesheet", "webxml", "q",
            "send-ip", "nsock-engine", "release-memory", "nogcc", "deprecated-xml-osclass");

    private final ServiceTable services;
    final List<String> arguments;
    final List<String> warnings = new ArrayList<>();
    final List<String> targets = new ArrayList<>();
    final List<String> excludes = new ArrayList<>();
    final EnumSet<ScanType> scanTypes = EnumSet.noneOf(ScanType.class);
    final TimingOptions timing = new TimingOptions();
    final List<String> deprecations = new ArrayList<>();
    String portList;
    String excludePorts;
    boolean fast;
    OptionalInt topPorts = OptionalInt.empty();
    Boolean ipv6;
    OptionalInt sourcePort = OptionalInt.empty();
    Optional<String> device = Optional.empty();
    boolean randomizePorts = true;
    boolean resolveNames = true;
    boolean reason;
    boolean openOnly;
    int verbose;
    boolean packetTrace;
    OutputFiles outputs = OutputFiles.NONE;
    Path inputFile;
    String excludeSpec;
    String excludeFile;
    Scope scope;
    final PingOptions pings;

    CommandLineBuilder(ServiceTable services, List<String> arguments) {
        this.services = services;
        this.pings = new PingOptions(services);
        this.arguments = List.copyOf(arguments);
    }

    @Override
    public void operand(String operand) {
        targets.add(operand);
    }

    @Override
    public void option(Getopt.Option o) throws ScanSpecException {
        String v = o.value();
        switch (o.key()) {
            case "s":
                scanTypes(v);
                break;
            case "p":
                if (portList != null) {
                    throw new ScanSpecException("Only 1 -p option allowed, separate multiple ranges with commas.");
                }
                portList = v;
                break;
            case "F":
                fast = true;
                break;
            case "top-ports":
                topPorts(v);
                break;
            case "exclude-ports":
                if (excludePorts != null) {
                    throw new ScanSpecException(
                            "Only 1 --exclude-ports option allowed, separate multiple ranges with commas.");
                }
                excludePorts = v;
                break;
            case "T":
                if (TimingTemplate.isEasterEgg(v)) {
                    warnings.add("ok nigel");
                }
                timing.applyTemplate(TimingTemplate.parse(v));
                break;
            case "max-retries":
                timing.maxRetries(v);
                break;
            case "host-timeout":
                timing.hostTimeout(v);
                break;
            case "scan-delay":
                timing.scanDelay(v);
                break;
            case "max-scan-delay":
                timing.maxScanDelay(v);
                break;
            case "initial-rtt-timeout":
                timing.initialRttTimeout(v);
                break;
            case "min-rtt-timeout":
                timing.minRttTimeout(v);
                break;
            case "max-rtt-timeout":
                timing.maxRttTimeout(v);
                break;
            case "min-rate":
                timing.minRate(v);
                break;
            case "max-rate":
                timing.maxRate(v);
                break;
            case "g":
                // nmap stores atoi() in a 16-bit field
                int port = CNumberConversions.atoi(v) & 0xffff;
                if (port == 0) {
                    warnings.add("WARNING: a source port of zero may not work on all systems.");
                }
                sourcePort = OptionalInt.of(port);
                break;
            case "e":
                device = Optional.of(v);
                break;
            case "r":
                randomizePorts = false;
                break;
            case "n":
                resolveNames = false;
                break;
            case "R":
                break; // we never resolve addresses back to names; accepted for compatibility
            case "4":
                if (Boolean.TRUE.equals(ipv6)) {
                    throw new ScanSpecException("Cannot use both -4 and -6 in one scan.");
                }
                ipv6 = false;
                break;
            case "6":
                if (Boolean.FALSE.equals(ipv6)) {
                    throw new ScanSpecException("Cannot use both -4 and -6 in one scan.");
                }
                ipv6 = true;
                break;
            case "P":
                pings.ping(o, verbose, this::deprecated, warnings);
                break;
            case "reason":
                reason = true;
                break;
            case "open":
                openOnly = true;
                break;
            case "v":
                verbosity(v, 'v');
                break;
            case "vv":
                verbose = Math.min(10, verbose + 2);
                break;
            case "d":
                verbosity(v, 'd');
                reason = true;
                break;
            case "disable-arp-ping":
                pings.disableArpPing();
                break;
            case "packet-trace":
                packetTrace = true;
                break;
            case "pcap":
                // Not an nmap option: this scanner's own, for the packets behind --packet-trace.
                if (v.equals("-")) {
                    throw new ScanSpecException("--pcap needs a file name: a packet capture cannot go to stdout");
                }
                outputs = outputs.withPcap(checkFileName(v, "pcap"));
                break;
            case "oN":
                outputs = outputs.withNormal(checkFileName(v, "oN"));
                break;
            case "oX":
                outputs = outputs.withXml(checkFileName(v, "oX"));
                break;
            case "oG":
            case "oM":
                outputs = outputs.withGrepable(checkFileName(v, o.key()));
                if (o.key().equals("oM")) {
                    deprecated("oM", "oG");
                }
                break;
            case "m":
                deprecated("m", "oG");
                outputs = outputs.withGrepable(checkFileName(v, "oG"));
                break;
            case "o":
                deprecated("o", "oN");
                outputs = outputs.withNormal(checkFileName(v, "o"));
                break;
            case "oA":
                outputs = outputs.withAll(checkFileName(v, "oA"));
                break;
            case "oH":
                throw new ScanSpecException("HTML output is not directly supported, though Nmap includes an XSL "
                        + "for transforming XML output into HTML.  See the man page.");
            case "iL":
            case "i":
                if (o.key().equals("i")) {
                    deprecated("i", "iL");
                }
                inputFile(v);
                break;
            case "exclude":
                excludeSpec = v;
                break;
            case "scope":
                // Not an nmap option: this scanner's own guard for CI (see Scope).
                if (scope != null) {
                    throw new ScanSpecException("Only 1 --scope option allowed, separate multiple networks "
                            + "with commas.");
                }
                scope = Scope.parse(v, "--scope");
                break;
            case "excludefile":
                excludeFile = v;
                break;
            case "h":
                throw new NmapCommandLine.Stop(ParsedCommandLine.Action.HELP);
            case "V":
                throw new NmapCommandLine.Stop(ParsedCommandLine.Action.VERSION);
            case "resume":
                throw new ScanSpecException("Cannot use --resume with other options. Usage: nmap --resume <filename>");
            case "I":
                warnings.add("WARNING: identscan (-I) no longer supported.  Ignoring -I");
                break;
            default:
                if (!IGNORED.contains(o.key())) {
                    throw NmapCommandLine.unsupported(o.spelled());
                }
        }
    }

    private void scanTypes(String v) throws ScanSpecException {
        if (v == null || v.isEmpty()) {
            throw new ScanSpecException("An option is required for -s, most common are -sT (tcp scan), -sS "
                    + "(SYN scan), -sF (FIN scan), -sU (UDP scan) and -sn (Ping scan)");
        }
        for (char c : v.toCharArray()) {
            switch (c) {
                case 'S':
                    scanTypes.add(ScanType.SYN);
                    break;
                case 'T':
                    scanTypes.add(ScanType.CONNECT);
                    break;
                case 'A':
                    scanTypes.add(ScanType.ACK);
                    break;
                case 'B':
                    throw new ScanSpecException("No scan type 'B', did you mean bounce scan (-b)?");
                case 'n':
                    pings.pingOnly();
                    break;
                case 'P': case 'L': case 'C': case 'F': case 'M': case 'N': case 'O':
                case 'R': case 'U': case 'V': case 'W': case 'X': case 'Y': case 'Z':
                    throw NmapCommandLine.unsupported("-s" + c);
                default:
                    throw new ScanSpecException("Scantype " + c + " not supported");
            }
        }
    }

    private void topPorts(String v) throws ScanSpecException {
        CNumberConversions.DoublePrefix d = CNumberConversions.strtod(v);
        double level = d.value();
        if (level < 1 || (double) (int) level != level) {
            throw new ScanSpecException("--top-ports should be an integer 1 or greater");
        }
        topPorts = OptionalInt.of((int) level);
    }

    private void verbosity(String v, char letter) throws ScanSpecException {
        if (v != null && !v.isEmpty() && CNumberConversions.isDigit(v.charAt(0))) {
            verbose = Math.max(0, Math.min(10, CNumberConversions.atoi(v)));
            return;
        }
        verbose = Math.min(10, verbose + 1);
        String rest = v == null ? "" : v;
        int i = 0;
        while (i < rest.length() && rest.charAt(i) == letter) {
            verbose = Math.min(10, verbose + 1);
            i++;
        }
        if (i < rest.length()) {
            throw new ScanSpecException("Invalid argument to -" + letter + ": \"" + v + "\".");
        }
    }

    private void deprecated(String given, String replacement) {
        deprecations.add("Warning: The -" + given + " option is deprecated. Please use -" + replacement);
    }

    private String checkFileName(String name, String option) throws ScanSpecException {
        if (name.startsWith("-") && name.length() > 1) {
            throw new ScanSpecException("Output filename begins with '-'. Try '-" + option + " ./" + name
                    + "' if you really want it to be named as such.");
        }
        if (option.equals("o") && !name.isEmpty() && "NAXGS".indexOf(name.charAt(0)) >= 0) {
            throw new ScanSpecException("You are using a deprecated option in a dangerous way. Did you mean: -o"
                    + name.charAt(0) + " " + name.substring(1));
        }
        if (name.startsWith("-") && option.equals("oA")) {
            throw new ScanSpecException("Cannot display multiple output types to stdout.");
        }
        HostFiles.toPath(name, "Cannot use \"" + name + "\" as an output file name");
        return name;
    }

    private void inputFile(String v) throws ScanSpecException {
        if (inputFile != null) {
            throw new ScanSpecException("Only one input filename allowed");
        }
        if (v.equals("-")) {
            throw new ScanSpecException("Reading targets from standard input (-iL -) is not supported by this "
                    + "scanner; give a file name.");
        }
        inputFile = HostFiles.toPath(v, "Failed to open input file " + v + " for reading");
        if (!Files.isReadable(inputFile)) {
            throw new ScanSpecException("Failed to open input file " + v + " for reading: " + HostFiles.reasonFor(inputFile));
        }
    }

    ScanRequest finish() throws ScanSpecException {
        if (verbose > 0) {
            warnings.addAll(deprecations);
        }
        warnings.addAll(timing.warnings());
        if (scanTypes.size() > 1) {
            throw new ScanSpecException("You specified more than one type of TCP scan.  Please choose only one "
                    + "of -sA, -b, -sT, -sF, -sI, -sM, -sN, -sS, -sW, and -sX");
        }
        Timing built = timing.buildChecked();
        if (sourcePort.isPresent() && scanTypes.contains(ScanType.CONNECT)) {
            warnings.add("WARNING: -g is incompatible with the default connect() scan (-sT).  Use a raw scan "
                    + "such as -sS if you want to set the source port.");
        }
        if (pings.isPingOnly() && (portList != null || fast)) {
            throw new ScanSpecException("You cannot use -F (fast scan) or -p (explicit port selection) when not "
                    + "doing a port scan");
        }
        if (portList != null && fast) {
            throw new ScanSpecException("You cannot use -F (fast scan) with -p (explicit port selection) but see "
                    + "--top-ports and --port-ratio to fast scan a range of ports");
        }
        PortSelection.Result ports = new PortSelection(services).select(Optional.ofNullable(portList), fast,
                topPorts, Optional.ofNullable(excludePorts));
        // A ping scan scans no port.
        PortSet scanned = pings.isPingOnly() ? PortSet.of() : ports.ports();
        warnings.addAll(ports.warnings());
        if (excludeFile != null) {
            String failure = "Failed to open exclude file " + excludeFile + " for reading";
            excludes.addAll(HostFiles.read(HostFiles.toPath(excludeFile, failure), failure));
        }
        if (excludeSpec != null) {
            // nmap splits --exclude on commas (targets keep commas: they are octet lists there).
            // Every piece is a specification, an empty one too (nmap cannot resolve it), except
            // an empty piece after the last comma.
            List<String> parts = new ArrayList<>(Arrays.asList(excludeSpec.split(",", -1)));
            if (parts.get(parts.size() - 1).isEmpty()) {
                parts.remove(parts.size() - 1);
            }
            excludes.addAll(parts);
        }
        List<String> scanTargets = inputFile != null
                ? HostFiles.read(inputFile, "Failed to open input file " + inputFile + " for reading")
                : targets;
        boolean showReason = reason || verbose > 1;
        List<Scope> scopes = scope == null ? List.of() : List.of(scope);
        return new ScanRequest(scanTypes.stream().findFirst(), scanTargets, excludes, scopes, scanned, built,
                Boolean.TRUE.equals(ipv6), sourcePort, device, randomizePorts, resolveNames, showReason,
                openOnly, verbose, packetTrace, outputs, arguments, pings.discovery());
    }
}
