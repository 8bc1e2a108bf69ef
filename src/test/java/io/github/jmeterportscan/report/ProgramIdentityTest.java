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
        assertEquals(pomElement("version"), ProgramIdentity.PORTSCAN.version());
    }

    /** The banner's URL is the POM's project url, the one the Plugins Manager descriptor is made from. */
    @Test
    void urlIsThePomsUrl() throws Exception {
        String url = pomElement("url");
        assertTrue(url.startsWith("https://"), url);
        assertEquals(url, ProgramIdentity.PORTSCAN.url());
    }

    /** An element of the project itself: the ones after its artifactId, before any dependency's. */
    private static String pomElement(String name) throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String project = pom.substring(pom.indexOf("<artifactId>jmeter-portscan</artifactId>"), pom.indexOf("<properties>"));
        Matcher element = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(project);
        assertTrue(element.find(), "the project's own <" + name + "> in pom.xml");
        return element.group(1).trim();
    }
}
