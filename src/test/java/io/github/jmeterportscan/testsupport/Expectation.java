package io.github.jmeterportscan.testsupport;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What nmap reports for a lab port: the usual outcome, and the complete set of outcomes that are
 * correct. The set is larger than one only where the kernel itself races (see
 * {@link NmapTruth}); a scanner that reports anything outside it is wrong.
 */
public record Expectation(Outcome usual, Set<Outcome> accepted) {
    public Expectation {
        Objects.requireNonNull(usual, "usual");
        Set<Outcome> all = new LinkedHashSet<>();
        all.add(usual);
        all.addAll(accepted);
        accepted = Set.copyOf(all);
    }

    public static Expectation exactly(PortState state, Reason reason) {
        return new Expectation(Outcome.of(state, reason), Set.of());
    }

    public Expectation orElse(PortState state, Reason reason) {
        Set<Outcome> more = new LinkedHashSet<>(accepted);
        more.add(Outcome.of(state, reason));
        return new Expectation(usual, more);
    }

    public boolean accepts(Outcome outcome) {
        return accepted.contains(outcome);
    }

    public boolean accepts(PortState state, Reason reason) {
        return accepts(Outcome.of(state, reason));
    }

    public boolean isExact() {
        return accepted.size() == 1;
    }

    @Override
    public String toString() {
        return isExact() ? usual.toString() : usual + " (or any of " + accepted + ")";
    }
}
