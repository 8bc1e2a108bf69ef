package io.github.jmeterportscan.testsupport;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link NetnsLab} for a test class: built before its first test (as root; leftovers of an
 * earlier, killed run with the same prefix are removed first) and torn down after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LabExtension LAB = LabExtension.of("ps-stall-", () -> NetnsLab.builder()
 *         .subnets("198.18.60.0/24", "2001:db8:60::/64").plan(LabLayouts.standard()));
 * ... LAB.lab().target(IpFamily.V4) ...
 * }</pre>
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private final Supplier<NetnsLab.Builder> builder;
    private NetnsLab lab;

    private LabExtension(String prefix, Supplier<NetnsLab.Builder> builder) {
        this.prefix = prefix;
        this.builder = builder;
    }

    /** A lab whose namespaces are named {@code prefix}... and built by {@code builder} (prefix set here). */
    public static LabExtension of(String prefix, Supplier<NetnsLab.Builder> builder) {
        return new LabExtension(prefix, builder);
    }

    /** The running lab; only between the class's first and last test. */
    public NetnsLab lab() {
        if (lab == null) {
            throw new IllegalStateException("the lab " + prefix + " is not running");
        }
        return lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Privileges.requireRoot("raw packets into a network namespace");
        NetnsLab.cleanupLeftovers(prefix);
        lab = builder.get().prefix(prefix).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }
}
