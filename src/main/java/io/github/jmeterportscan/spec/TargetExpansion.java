package io.github.jmeterportscan.spec;

import java.util.List;

/**
 * The outcome of expanding target expressions: the hosts to scan, in nmap's order (duplicates
 * kept, as nmap scans them twice), the expressions that yielded nothing, and every message nmap
 * would print on the way, in order (warnings and failures alike).
 */
public record TargetExpansion(List<Target> targets, List<Failure> failures, List<String> messages) {
    public TargetExpansion {
        targets = List.copyOf(targets);
        failures = List.copyOf(failures);
        messages = List.copyOf(messages);
    }

    /**
     * A target expression that was skipped. nmap reports it in XML as
     * {@code <target specification="..." status="skipped" reason="invalid"/>}.
     *
     * @param specification the expression as given
     * @param message       the last (decisive) line nmap prints for it, e.g. Failed to resolve "x".
     */
    public record Failure(String specification, String message) {
    }

    /** nmap's warning when nothing is left to scan. */
    public static final String NO_TARGETS_WARNING = "WARNING: No targets were specified, so 0 hosts scanned.";

    public boolean isEmpty() {
        return targets.isEmpty();
    }
}
