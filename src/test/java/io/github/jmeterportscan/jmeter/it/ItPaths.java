package io.github.jmeterportscan.jmeter.it;

import java.io.IOException;
import java.nio.file.Files;
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

    /** Creates {@code dir}, or empties it if it exists: what an earlier run left there goes. */
    static Path emptyDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
