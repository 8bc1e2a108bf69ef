package io.github.jmeterportscan.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root (raw sockets, capture, network namespaces). In CI (CI=true) a
 * missing privilege fails the test: those tests must run there. Elsewhere they are skipped with a
 * message that says why.
 */
public final class Privileges {
    private Privileges() {
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips (or, in CI, fails) the calling test unless it runs as root. */
    public static void requireRoot(String why) {
        require(isRoot(), "needs root: " + why);
    }

    /** Skips (or, in CI, fails) the calling test unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (condition) {
            return;
        }
        if (isCi()) {
            fail("CI=true but the test cannot run: " + message);
        }
        Assumptions.abort("skipped: " + message);
    }
}
