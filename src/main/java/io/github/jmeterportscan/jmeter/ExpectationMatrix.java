package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.PortSpecParser;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which state each port is expected to be in, written as a list of entries such as
 * {@code 443=open, 22=filtered, 1-1024 except 443=closed|filtered}.
 *
 * <ul>
 *   <li>An entry is {@code <ports>=<states>}: the ports in nmap's -p syntax (ranges, lists,
 *       service names, {@code T:}), optionally followed by {@code except <ports>}; the states are
 *       alternatives joined by {@code |} (see {@link ExpectedStates}).</li>
 *   <li>An entry that is only states ({@code open}, {@code closed|filtered}) names every port.</li>
 *   <li>Entries are separated by commas, semicolons or line breaks. A comma inside the ports
 *       of an entry stays part of them: {@code 22,80=open} names two ports.</li>
 *   <li>Precedence: entries are read left to right and a later entry replaces what earlier ones
 *       said about the ports it names ({@code closed, 443=open}: 443 open, every other port
 *       closed; {@code 443=open, closed}: every port closed).</li>
 *   <li>A port no entry names has no expectation: any state passes. An empty text expects
 *       nothing.</li>
 * </ul>
 */
public final class ExpectationMatrix {
    private static final ExpectationMatrix NONE = new ExpectationMatrix(List.of(), "");

    private final List<Entry> entries;
    private final String text;

    private record Entry(PortSet ports, ExpectedStates states) {
    }

    private ExpectationMatrix(List<Entry> entries, String text) {
        this.entries = List.copyOf(entries);
        this.text = text;
    }

    public static ExpectationMatrix none() {
        return NONE;
    }

    /** Every port expected in {@code states}. */
    public static ExpectationMatrix all(ExpectedStates states) {
        return new ExpectationMatrix(List.of(new Entry(PortSet.range(0, PortSet.MAX_PORT), states)),
                states.toString());
    }

    /**
     * @throws ScanSpecException naming the faulty entry: an unknown state, a bad port list (with
     *                           nmap's message) or a missing state list
     */
    public static ExpectationMatrix parse(String text, ServiceTable services) throws ScanSpecException {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        PortSpecParser ports = new PortSpecParser(services);
        List<Entry> entries = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String piece : text.split("[,;\\r\\n]", -1)) {
            int equals = piece.indexOf('=');
            if (equals < 0) {
                if (pending.length() == 0 && !piece.isBlank() && looksLikeStates(piece)) {
                    entries.add(new Entry(PortSet.range(0, PortSet.MAX_PORT), ExpectedStates.parse(piece)));
                } else if (!piece.isBlank()) {
                    pending.append(pending.length() == 0 ? "" : ",").append(piece.trim());
                }
                continue;
            }
            pending.append(pending.length() == 0 ? "" : ",").append(piece, 0, equals);
            String portText = pending.toString().trim();
            pending.setLength(0);
            String stateText = piece.substring(equals + 1);
            if (portText.isEmpty()) {
                throw new ScanSpecException("No ports before \"=" + stateText.trim() + "\" in the expected states");
            }
            if (stateText.isBlank()) {
                throw new ScanSpecException("No state after \"" + portText + "=\" in the expected states");
            }
            entries.add(new Entry(portsOf(portText, ports), ExpectedStates.parse(stateText)));
        }
        if (pending.length() > 0) {
            throw new ScanSpecException("Ports \"" + pending + "\" have no expected state; write "
                    + pending + "=open (or another state)");
        }
        return new ExpectationMatrix(entries, text.trim());
    }

    private static boolean looksLikeStates(String piece) {
        for (String word : piece.split("\\|", -1)) {
            String w = word.trim().toLowerCase(java.util.Locale.ROOT);
            if (!(w.equals("open") || w.equals("closed") || w.equals("filtered") || w.equals("unfiltered"))) {
                return false;
            }
        }
        return true;
    }

    private static PortSet portsOf(String portText, PortSpecParser parser) throws ScanSpecException {
        String[] parts = portText.split("(?i)\\s+except\\s+", -1);
        if (parts.length > 2) {
            throw new ScanSpecException("Only one \"except\" allowed in \"" + portText + "\"");
        }
        PortSet ports = parse(parts[0], portText, parser);
        return parts.length == 2 ? ports.minus(parse(parts[1], portText, parser)) : ports;
    }

    private static PortSet parse(String spec, String entry, PortSpecParser parser) throws ScanSpecException {
        try {
            return parser.parse(spec.trim()).tcp();
        } catch (ScanSpecException e) {
            throw new ScanSpecException("Bad ports \"" + entry + "\" in the expected states: " + e.getMessage());
        }
    }

    /** The expectation for {@code port}: the last entry naming it, or empty when none does. */
    public Optional<ExpectedStates> expectationFor(int port) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).ports().contains(port)) {
                return Optional.of(entries.get(i).states());
            }
        }
        return Optional.empty();
    }

    /** True when the port has no expectation or its state is one of the expected ones. */
    public boolean accepts(int port, PortState state) {
        return expectationFor(port).map(e -> e.matches(state)).orElse(true);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The text as written (trimmed). */
    @Override
    public String toString() {
        return text;
    }
}
