package io.github.jmeterportscan.jmeter.it;

import java.nio.file.Path;

/** Where the integration tests find the project and put what they produce (failsafe sets both). */
final class ItPaths {
    private ItPaths() {
    }

    static Path projectDir() {
        return Path.of(System.getProperty("portscan.it.projectDir", ".")).toAbsolutePath();
    }

    /** target/jmeter-it: results, logs, dashboards and GUI screenshots of the integration tests. */
    static Path outputDir() {
        return Path.of(System.getProperty("portscan.it.outputDir", "target/jmeter-it")).toAbsolutePath();
    }
}
