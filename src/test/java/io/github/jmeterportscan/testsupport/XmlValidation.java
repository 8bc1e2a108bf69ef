package io.github.jmeterportscan.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Validates XML against nmap's own DTD with the real xmllint. */
public final class XmlValidation {
    public static final String DTD = "/usr/share/nmap/nmap.dtd";

    private XmlValidation() {
    }

    public static void assertValid(Path xml) {
        Commands.Result lint = Commands.runAllowingFailure(Duration.ofSeconds(60),
                List.of("xmllint", "--noout", "--dtdvalid", DTD, xml.toString()));
        assertEquals(0, lint.exitCode(), () -> "xmllint rejected " + xml + ":\n" + lint.stderr());
    }
}
