package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.ScanSpecException;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states a port may be in, written as alternatives joined by {@code |} ("closed|filtered").
 * nmap's compound names open|filtered and closed|filtered therefore read as two alternatives;
 * SYN, connect and ACK scans never produce those compound states, and a port that is in one
 * still matches when both of its parts are allowed.
 */
public record ExpectedStates(Set<PortState> allowed) {
    public ExpectedStates {
        allowed = Set.copyOf(allowed);
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("no state");
        }
    }

    /** Parses "open", "closed|filtered", ... (case-insensitive, blanks around names ignored). */
    public static ExpectedStates parse(String text) throws ScanSpecException {
        EnumSet<PortState> states = EnumSet.noneOf(PortState.class);
        for (String word : text.split("\\|", -1)) {
            String name = word.trim();
            PortState state = simpleState(name);
            if (state == null) {
                throw new ScanSpecException("Unknown port state \"" + name + "\" in \"" + text.trim()
                        + "\"; use open, closed, filtered or unfiltered, alternatives joined by |");
            }
            states.add(state);
        }
        return new ExpectedStates(states);
    }

    private static PortState simpleState(String name) {
        for (PortState state : new PortState[] {PortState.OPEN, PortState.CLOSED, PortState.FILTERED,
                PortState.UNFILTERED}) {
            if (state.nmapName().equalsIgnoreCase(name)) {
                return state;
            }
        }
        return null;
    }

    /** True when {@code state} is one of the alternatives. */
    public boolean matches(PortState state) {
        return switch (state) {
            case OPEN_FILTERED -> allowed.contains(PortState.OPEN_FILTERED)
                    || allowed.contains(PortState.OPEN) && allowed.contains(PortState.FILTERED);
            case CLOSED_FILTERED -> allowed.contains(PortState.CLOSED_FILTERED)
                    || allowed.contains(PortState.CLOSED) && allowed.contains(PortState.FILTERED);
            default -> allowed.contains(state);
        };
    }

    /** The alternatives in nmap's order of states, joined by {@code |}. */
    @Override
    public String toString() {
        return EnumSet.copyOf(allowed).stream().map(PortState::nmapName).collect(Collectors.joining("|"));
    }
}
