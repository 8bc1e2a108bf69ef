package io.github.jmeterportscan.jmeter.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Native;
import io.github.jmeterportscan.report.ProgramIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.factory.statik.StaticDataLinkTypePacketFactory;
import org.junit.jupiter.api.Test;

/**
 * What the package phase leaves for JMeter users: the release zip, laid out as JMeter's home, and the Plugins
 * Manager descriptor, a one-entry repository in the jmeter-plugins.org catalogue's format. The descriptor must name
 * classes the zip's jar has and exactly the libraries the zip's lib/ has, with their versions.
 */
class ReleaseArtifactsIT {

    private static final String SAMPLER = "io.github.jmeterportscan.jmeter.PortScanSampler";
    private static final String ASSERTION = "io.github.jmeterportscan.jmeter.PortStateAssertion";
    /** A catalogue library key the Plugins Manager accepts: a name, optionally ">=" and a version. */
    private static final Pattern LIB_KEY = Pattern.compile("([^=<>]+)>=([0-9.]+)");
    private static final Pattern TESTCLASS = Pattern.compile("testclass=\"(io\\.github\\.jmeterportscan\\.[^\"]+)\"");

    /** The jars of the libraries JMeter lacks, as this build resolved them (the tests run with the same ones). */
    private static final Set<String> RUNTIME_LIBRARIES = new TreeSet<>(List.of(jarName(Native.class),
            jarName(Pcaps.class), jarName(StaticDataLinkTypePacketFactory.class)));

    private static ReleaseZip zip;
    private static JsonNode entry;

    @BeforeAll
    static void read() throws IOException {
        zip = ReleaseZip.locate();
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode repo = strict.readTree(ReleaseZip.descriptor().toFile());
        assertTrue(repo.isArray(), "a repository file is a JSON array of plugin entries: " + repo);
        assertEquals(1, repo.size(), "one entry: " + repo);
        entry = repo.get(0);
    }

    @Test
    void zipHoldsThePluginJarInLibExtTheLibrariesInLibAndTheExamples() throws Exception {
        assertEquals(List.of(zip.pluginJarName()), zip.filesIn("lib/ext/"));
        Path builtJar = ItPaths.projectDir().resolve("target").resolve(zip.pluginJarName());
        assertArrayEquals(Files.readAllBytes(builtJar), zip.read("lib/ext/" + zip.pluginJarName()),
                "lib/ext holds the plain jar the build made, not the stand-alone CLI jar");

        assertEquals(RUNTIME_LIBRARIES, new TreeSet<>(zip.filesIn("lib/")),
                "lib/ holds the runtime libraries JMeter 5.6.3 lacks, and no slf4j or commons-lang3, which it ships");

        Path examples = ItPaths.projectDir().resolve("jmx-examples");
        Set<String> exampleFiles = new TreeSet<>();
        try (Stream<Path> files = Files.list(examples)) {
            files.forEach(file -> exampleFiles.add(file.getFileName().toString()));
        }
        assertEquals(exampleFiles, new TreeSet<>(zip.filesIn("bin/examples/portscan/")));

        for (String name : zip.files()) {
            assertTrue(name.startsWith("lib/") || name.startsWith("bin/examples/portscan/"),
                    "nothing else in the zip: " + name);
        }
    }

    @Test
    void descriptorIsACatalogueEntryForThisBuild() {
        for (String field : List.of("id", "name", "description", "screenshotUrl", "helpUrl", "vendor", "markerClass")) {
            assertTrue(entry.path(field).isTextual() && !entry.path(field).asText().isBlank(), field + ": " + entry);
        }
        assertEquals("jmeter-portscan", entry.get("id").asText());
        assertEquals(ProgramIdentity.PORTSCAN.url(), entry.get("helpUrl").asText(), "the program's URL, from the POM");
        String screenshot = entry.get("screenshotUrl").asText();
        String inRepository = ProgramIdentity.PORTSCAN.url() + "/raw/main/";
        assertTrue(screenshot.startsWith(inRepository), screenshot);
        assertTrue(Files.isRegularFile(ItPaths.projectDir().resolve(screenshot.substring(inRepository.length()))),
                "the screenshot is a file of this repository: " + screenshot);

        JsonNode versions = entry.get("versions");
        assertEquals(List.of(zip.version()), fieldNames(versions), "one version, this build's");
        String downloadUrl = versions.get(zip.version()).get("downloadUrl").asText();
        assertTrue(downloadUrl.startsWith("https://"), downloadUrl);
        assertTrue(downloadUrl.endsWith("/" + zip.pluginJarName()), "the Plugins Manager names the installed jar"
                + " after the URL's last part, which must be the jar's name: " + downloadUrl);
    }

    /** The Plugins Manager finds an installed plugin by its marker class and a plan's needs by component classes. */
    @Test
    void everyClassTheDescriptorNamesIsInThePluginJar() throws Exception {
        List<String> named = new ArrayList<>();
        named.add(entry.get("markerClass").asText());
        entry.get("componentClasses").forEach(node -> named.add(node.asText()));
        assertEquals(SAMPLER, named.get(0), "the sampler marks the plugin as installed");
        assertTrue(named.containsAll(List.of(SAMPLER, ASSERTION)), "component classes: " + named);

        Set<String> classes = new TreeSet<>();
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(
                zip.read("lib/ext/" + zip.pluginJarName())))) {
            for (var e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                if (e.getName().endsWith(".class")) {
                    classes.add(e.getName().replace('/', '.').replaceFirst("\\.class$", ""));
                }
            }
        }
        for (String name : named) {
            assertTrue(classes.contains(name), name + " is not in lib/ext/" + zip.pluginJarName());
        }
    }

    /** {@code PluginsManagerCMD install-for-jmx} installs a plugin when a plan's testclass is one of its classes. */
    @Test
    void theComponentClassesCoverEveryElementOfTheExamplePlans() throws Exception {
        Set<String> components = new TreeSet<>();
        entry.get("componentClasses").forEach(node -> components.add(node.asText()));
        Set<String> used = new TreeSet<>();
        try (Stream<Path> plans = Files.list(ItPaths.projectDir().resolve("jmx-examples"))) {
            for (Path plan : plans.filter(p -> p.toString().endsWith(".jmx")).toList()) {
                Matcher testclass = TESTCLASS.matcher(Files.readString(plan));
                while (testclass.find()) {
                    used.add(testclass.group(1));
                }
            }
        }
        assertEquals(Set.of(SAMPLER, ASSERTION), used, "the example plans use the sampler and the assertion");
        assertTrue(components.containsAll(used), "component classes " + components + " lack some of " + used);
    }

    /**
     * Each library is "name>=version" (a plain name is satisfied by any old copy already in lib/), its URL is the
     * Maven Central jar of that name and version, and together they are exactly the jars in the zip's lib/.
     */
    @Test
    void theLibrariesAreTheZipsLibrariesByNameAndVersion() throws Exception {
        JsonNode libs = entry.get("versions").get(zip.version()).get("libs");
        Map<String, String> jarsByKey = new TreeMap<>();
        for (String key : fieldNames(libs)) {
            Matcher lib = LIB_KEY.matcher(key);
            assertTrue(lib.matches(), "library key " + key + " is not name>=version");
            String jar = lib.group(1) + "-" + lib.group(2) + ".jar";
            String url = libs.get(key).asText();
            assertTrue(url.startsWith("https://repo1.maven.org/maven2/") && url.endsWith("/" + lib.group(2) + "/" + jar),
                    key + " -> " + url);
            jarsByKey.put(key, jar);
        }
        String jna = jarName(Native.class).replaceFirst("^jna-(.*)\\.jar$", "jna>=$1");
        assertTrue(jarsByKey.containsKey(jna), "JNA at least the build's: " + jna + " in " + jarsByKey.keySet());
        assertEquals(new TreeSet<>(zip.filesIn("lib/")), new TreeSet<>(jarsByKey.values()),
                "the descriptor's libraries and the zip's lib/");
    }

    private static String jarName(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        assertTrue(object != null && object.isObject(), "an object: " + object);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
