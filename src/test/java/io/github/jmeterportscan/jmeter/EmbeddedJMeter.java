package io.github.jmeterportscan.jmeter;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.jmeter.JMeter;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.report.dashboard.ReportGenerator;
import org.apache.jmeter.reporters.ResultCollector;
import org.apache.jmeter.save.SaveService;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.util.JMeterUtils;
import org.apache.jorphan.collections.HashTree;

/**
 * A real JMeter 5.6.3 engine in the test JVM, as the jmeter script would run a plan with -n:
 * JMETER_HOME is a temporary directory holding the bin/ directory of ApacheJMeter_config
 * (jmeter.properties, saveservice.properties, the report templates); plans are loaded with
 * SaveService from .jmx files, results written as CSV JTL, dashboards made by ReportGenerator.
 *
 * <p>JMeter keeps its configuration in static state read once (sample variables, save
 * configuration), so it is set up once per JVM with everything the tests need.
 */
final class EmbeddedJMeter {
    /** Columns every JTL of these tests carries after the standard ones (JMeter's sample_variables). */
    static final String SAMPLE_VARIABLES = "portscan_open,portscan_closed,portscan_error,portscan_open_count,portscan_closed_count,portscan_rtt_us";

    private static Path home;

    private EmbeddedJMeter() {
    }

    static synchronized Path home() throws IOException {
        if (home == null) {
            home = Files.createTempDirectory("jmeter-home");
            extractBin(home);
            Path bin = home.resolve("bin");
            // The HTTP plugin is not on this class path: drop its converters, which SaveService
            // would otherwise report with a stack trace.
            Path saveService = bin.resolve("saveservice.properties");
            List<String> kept = Files.readAllLines(saveService, StandardCharsets.ISO_8859_1).stream()
                    .filter(line -> !line.startsWith("_org.apache.jmeter.protocol.http.")).toList();
            Files.write(saveService, kept, StandardCharsets.ISO_8859_1);
            // Non-GUI defaults as the jmeter script sets them, plus what the tests read back.
            Files.writeString(bin.resolve("user.properties"), String.join("\n",
                    "jmeter.save.saveservice.output_format=csv",
                    "jmeter.save.saveservice.subresults=true",
                    "jmeter.save.saveservice.assertion_results_failure_message=true",
                    "jmeter.save.saveservice.response_code=true",
                    "jmeter.save.saveservice.response_message=true",
                    "jmeter.save.saveservice.successful=true",
                    "jmeter.save.saveservice.label=true",
                    "jmeter.save.saveservice.latency=true",
                    "jmeter.save.saveservice.connect_time=true",
                    "sample_variables=" + SAMPLE_VARIABLES,
                    "summariser.name=",
                    ""), StandardCharsets.ISO_8859_1);
            JMeterUtils.setJMeterHome(home.toString());
            JMeterUtils.loadJMeterProperties(bin.resolve("jmeter.properties").toString());
            // jmeter.properties points at user.properties; the launcher merges it, so do we.
            java.util.Properties user = new java.util.Properties();
            try (InputStream in = Files.newInputStream(bin.resolve("user.properties"))) {
                user.load(in);
            }
            JMeterUtils.getJMeterProperties().putAll(user);
            JMeterUtils.initLocale();
        }
        return home;
    }

    /** Copies bin/** of the ApacheJMeter_config jar (found through the class path) into {@code target}. */
    private static void extractBin(Path target) throws IOException {
        URL url = EmbeddedJMeter.class.getClassLoader().getResource("bin/jmeter.properties");
        if (url == null || !"jar".equals(url.getProtocol())) {
            throw new IOException("ApacheJMeter_config (bin/jmeter.properties) is not on the test class path");
        }
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().startsWith("bin/") || entry.isDirectory()) {
                    continue;
                }
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Runs the plan in {@code jmx} to its end, writing every sample to {@code jtl} (CSV).
     *
     * @param properties JMeter properties the plan reads with __P()
     */
    static void run(Path jmx, Map<String, String> properties, Path jtl) throws Exception {
        engine(jmx, properties, jtl).run();
    }

    /**
     * An engine configured with the plan in {@code jmx}, writing every sample to {@code jtl}, for
     * a test that runs it on a thread of its own and stops it ({@link StandardJMeterEngine#stopTest}).
     */
    static StandardJMeterEngine engine(Path jmx, Map<String, String> properties, Path jtl) throws Exception {
        ResultCollector collector = new ResultCollector();
        collector.setFilename(jtl.toString());
        return configure(jmx, properties, List.of(collector));
    }

    /**
     * Starts the plan in {@code jmx} on the engine's own thread, as the GUI's Start does, with
     * {@code listeners} (JTL writers, checks) added at test plan level; the caller stops it
     * ({@link StandardJMeterEngine#stopTest(boolean)}, {@link StandardJMeterEngine#askThreadsToStop()})
     * or waits for its end ({@link StandardJMeterEngine#awaitTermination}).
     */
    static StandardJMeterEngine start(Path jmx, Map<String, String> properties, List<? extends TestElement> listeners)
            throws Exception {
        StandardJMeterEngine engine = configure(jmx, properties, listeners);
        engine.runTest();
        return engine;
    }

    private static StandardJMeterEngine configure(Path jmx, Map<String, String> properties,
            List<? extends TestElement> listeners) throws Exception {
        home();
        properties.forEach(JMeterUtils::setProperty);
        HashTree tree = SaveService.loadTree(jmx.toFile());
        JMeter.convertSubTree(tree, false);
        for (TestElement listener : listeners) {
            tree.add(tree.getArray()[0], listener);
        }
        StandardJMeterEngine engine = new StandardJMeterEngine();
        engine.configure(tree);
        return engine;
    }

    /** Makes the HTML dashboard of {@code jtl} in {@code outputDir}; returns statistics.json's text. */
    static String dashboard(Path jtl, Path outputDir) throws Exception {
        home();
        JMeterUtils.setProperty(JMeter.JMETER_REPORT_OUTPUT_DIR_PROPERTY, outputDir.toString());
        new ReportGenerator(jtl.toString(), null).generate();
        return Files.readString(outputDir.resolve("statistics.json"));
    }

    /** Copies a test plan from the class path to a file SaveService can read. */
    static Path plan(String resource, Path directory) throws IOException {
        try (InputStream in = EmbeddedJMeter.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test plan " + resource + " is missing");
            }
            Path out = directory.resolve(Path.of(resource).getFileName().toString());
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        }
    }
}
