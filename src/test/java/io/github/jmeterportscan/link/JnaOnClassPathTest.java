package io.github.jmeterportscan.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Real JNA jars on class paths built as JMeter builds its own (lib/ in name order): the old jna-3.5.2.jar that the
 * build copies to target/test-jars, and the JNA this project uses.
 */
class JnaOnClassPathTest {
    private static final Path OLD_JNA = Path.of("target/test-jars/jna-3.5.2.jar");

    @Test
    void anOlderJnaAheadOfOursIsNamedForRemoval() throws Exception {
        Path ours = ourJna();
        Optional<String> problem = problemWith(oldJna(), ours);
        assertEquals(Optional.of("raw packet scanning needs JNA " + required() + " or later, but the class path gives"
                + " JNA 3.5.2 from " + oldJna().toAbsolutePath() + ", an older copy ahead of " + ours
                + " (JMeter loads lib/ in name order): remove " + oldJna().toAbsolutePath()), problem);
    }

    @Test
    void anOlderJnaAloneIsToBeReplaced() throws Exception {
        assertEquals(Optional.of("raw packet scanning needs JNA " + required() + " or later, but the class path gives"
                + " JNA 3.5.2 from " + oldJna().toAbsolutePath() + ": replace that jar with jna-" + required() + ".jar"),
                problemWith(oldJna()));
    }

    @Test
    void oursAheadOfAnOlderOneIsFine() throws Exception {
        assertEquals(Optional.empty(), problemWith(ourJna(), oldJna()));
        assertEquals(Optional.empty(), problemWith(ourJna()));
    }

    @Test
    void noJnaAtAllIsSaid() throws Exception {
        Optional<String> problem = problemWith();
        assertTrue(problem.orElseThrow().contains("needs JNA (jna-" + required() + ".jar), which is not on the class path"),
                problem.toString());
    }

    /** This JVM's own class path (the test's) has the project's JNA: no problem. */
    @Test
    void theTestClassPathIsFine() {
        assertEquals(Optional.empty(), JnaOnClassPath.problem());
    }

    /** The requirement is the JNA version in pom.xml, which the build writes into the jar. */
    @Test
    void requiredVersionIsThePomsJnaVersion() throws Exception {
        Matcher version = Pattern.compile("<jna.version>([^<]+)</jna.version>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find(), "jna.version in pom.xml");
        assertEquals(version.group(1), required());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(JnaOnClassPath.compare("5.17.0", "5.9.0") > 0);
        assertTrue(JnaOnClassPath.compare("3.5.2", "5.17.0") < 0);
        assertEquals(0, JnaOnClassPath.compare("5.17", "5.17.0"));
    }

    private static String required() {
        return JnaOnClassPath.requiredVersion();
    }

    /** A class loader over exactly these jars, in this order, with nothing from the application class path. */
    private static Optional<String> problemWith(Path... jars) throws Exception {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            return JnaOnClassPath.problem(loader, required());
        }
    }

    private static Path oldJna() {
        assertTrue(Files.isRegularFile(OLD_JNA), OLD_JNA + " is missing: the build copies it in process-test-resources"
                + " (run the tests through Maven)");
        return OLD_JNA;
    }

    /** The JNA jar the tests themselves run with: the project's dependency. */
    private static Path ourJna() throws Exception {
        Path jar = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(jar.getFileName().toString().equals("jna-" + required() + ".jar"), jar.toString());
        return jar;
    }
}
