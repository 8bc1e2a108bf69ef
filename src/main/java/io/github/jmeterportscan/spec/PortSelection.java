package io.github.jmeterportscan.spec;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns the port options of a command line (-p, -F, --top-ports, --exclude-ports) into the TCP
 * ports to scan, the way nmap's gettoppts and removepts do: without -p the most frequently open
 * ports (1000, or 100 with -F); --top-ports N picks the N most frequent among -p's ports (or all
 * ports minus --exclude-ports); --exclude-ports is removed last.
 */
public final class PortSelection {
    /** Ports to scan and nmap's warnings about them (duplicates, non-TCP sections, empty list). */
    public record Result(PortSet ports, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private final ServiceTable services;
    private final PortSpecParser parser;

    public PortSelection(ServiceTable services) {
        this.services = services;
        this.parser = new PortSpecParser(services);
    }

    /**
     * @param portList     -p value
     * @param fast         -F
     * @param topPorts     --top-ports value (already checked to be >= 1)
     * @param excludePorts --exclude-ports value
     */
    public Result select(Optional<String> portList, boolean fast, OptionalInt topPorts,
            Optional<String> excludePorts) throws ScanSpecException {
        List<String> warnings = new ArrayList<>();
        portList.ifPresent(list -> warnings.addAll(protocolWarnings(list)));

        PortSet chosen;
        if (topPorts.isEmpty() && portList.isPresent()) {
            PortSpecParser.Result parsed = parser.parse(portList.get());
            warnings.addAll(parsed.warnings());
            chosen = parsed.tcp();
        } else {
            int level = topPorts.orElse(fast ? 100 : 1000);
            PortSet candidates = null;
            if (portList.isPresent()) {
                PortSpecParser.Result parsed = parser.parse(portList.get());
                warnings.addAll(parsed.warnings());
                candidates = parsed.tcp();
            } else if (excludePorts.isPresent()) {
                candidates = PortSet.range(1, PortSet.MAX_PORT);
            }
            if (candidates != null && excludePorts.isPresent()) {
                candidates = candidates.minus(parseExclusions(excludePorts.get(), warnings));
            }
            chosen = top(level, candidates);
        }
        if (excludePorts.isPresent()) {
            chosen = chosen.minus(parseExclusions(excludePorts.get(), warnings));
        }
        if (chosen.isEmpty()) {
            warnings.add("WARNING: a TCP scan type was requested, but no tcp ports were specified.  "
                    + "Skipping this scan type.");
        }
        return new Result(chosen, dedupe(warnings));
    }

    private PortSet parseExclusions(String spec, List<String> warnings) throws ScanSpecException {
        PortSpecParser.Result excluded = parser.parse(spec);
        warnings.addAll(excluded.warnings());
        return excluded.tcp();
    }

    /** The {@code level} most frequent TCP ports, restricted to {@code candidates} when given. */
    private PortSet top(int level, PortSet candidates) {
        int wanted = Math.min(level, services.tcpCount());
        BitSet out = new BitSet();
        int taken = 0;
        for (int port : services.tcpPortsByFrequency()) {
            if (taken >= wanted) {
                break;
            }
            if (candidates == null || candidates.contains(port)) {
                out.set(port);
                taken++;
            }
        }
        return PortSet.fromBits(out);
    }

    /** nmap warns for every "X:" prefix whose protocol no requested scan type covers. */
    static List<String> protocolWarnings(String portList) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < portList.length(); i++) {
            if (portList.charAt(i + 1) != ':') {
                continue;
            }
            switch (portList.charAt(i)) {
                case 'U':
                    out.add("WARNING: Your ports include \"U:\" but you haven't specified UDP scan with -sU.");
                    break;
                case 'S':
                    out.add("WARNING: Your ports include \"S:\" but you haven't specified any SCTP scan type.");
                    break;
                case 'P':
                    out.add("WARNING: Your ports include \"P:\" but you haven't specified IP Protocol scan "
                            + "with -sO.");
                    break;
                default:
                    break;
            }
        }
        return out;
    }

    private static List<String> dedupe(List<String> warnings) {
        // The same parse can run twice (top ports, then exclusion); nmap warns once per parse but
        // repeating the same sentence helps nobody.
        return warnings.stream().distinct().toList();
    }
}
