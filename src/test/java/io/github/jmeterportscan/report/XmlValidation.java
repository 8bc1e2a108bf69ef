package io.github.jmeterportscan.report;

import io.github.jmeterportscan.testsupport.Commands;
import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

/** Validates XML against nmap's own DTD with the real xmllint. */
final class XmlValidation {
    static final String DTD = "/usr/share/nmap/nmap.dtd";

    private XmlValidation() {
    }

    static void assertValid(Path xml) throws Exception {
        Commands.Result lint = Commands.runAllowingFailure(Duration.ofSeconds(60), List.of("xmllint", "--noout", "--dtdvalid", DTD, xml.toString()));
        assertEquals(0, lint.exitCode(), () -> "xmllint rejected " + xml + ":\n" + lint.stderr());
    }
}
