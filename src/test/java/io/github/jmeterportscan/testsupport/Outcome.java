package io.github.jmeterportscan.testsupport;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.util.Objects;

/** A port's verdict as nmap prints it: state and reason (the TTL is left out on purpose). */
public record Outcome(PortState state, Reason reason) {
    public Outcome {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    public static Outcome of(PortState state, Reason reason) {
        return new Outcome(state, reason);
    }

    @Override
    public String toString() {
        return state.nmapName() + "/" + reason.nmapName();
    }
}
