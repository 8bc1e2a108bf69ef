package io.github.jmeterportscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgramIdentityTest {
    /** The banner, -V and the XML comment show the POM's version, filled in by the build. */
    @Test
    void versionIsThePomsVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher project = Pattern.compile("<artifactId>jmeter-portscan</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertTrue(project.find(), "the project's own version in pom.xml");
        assertEquals(project.group(1), ProgramIdentity.PORTSCAN.version());
    }
}
