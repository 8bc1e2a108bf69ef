package io.github.jmeterportscan.jmeter.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A JMeter 5.6.3 with nothing of ours in it, as a user has it before installing the plugin: a copy of the JMeter
 * that jmeter-maven-plugin assembled from Maven Central, without the files the release zip brings (the plugin jar,
 * JNA, pcap4j), and with bin/ as JMeter's own ApacheJMeter_config jar has it (the plugin rewrites the properties
 * files and merges the examples' user.properties into bin/user.properties).
 */
final class StockJMeter {
    /** Packages only our files bring: a stock JMeter 5.6.3 has no jar holding any of them. */
    private static final List<String> NOT_IN_JMETER = List.of("io/github/jmeterportscan/", "com/sun/jna/", "org/pcap4j/");

    private StockJMeter() {
    }

    /** A fresh stock JMeter home at {@code home} (whatever was there is deleted). */
    static AssembledJMeter copy(AssembledJMeter assembled, ReleaseZip release, Path home) throws IOException {
        deleteRecursively(home);
        Set<String> ours = Set.copyOf(release.files());
        try (Stream<Path> files = Files.walk(assembled.home())) {
            for (Path source : files.toList()) {
                String relative = assembled.home().relativize(source).toString();
                Path target = home.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!ours.contains(relative)) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        restoreBinFromJMetersConfigJar(home);
        AssembledJMeter stock = new AssembledJMeter(home, assembled.runtimeJarName());
        List<String> foreign = jarsHoldingOurPackages(home);
        if (!foreign.isEmpty()) {
            throw new AssertionError("the stock JMeter still has jars of ours, JNA or pcap4j: " + foreign);
        }
        return stock;
    }

    /** Jars under lib/ holding a class of ours, JNA's or pcap4j's. */
    static List<String> jarsHoldingOurPackages(Path home) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home.resolve("lib"))) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    if (zip.stream().anyMatch(e -> NOT_IN_JMETER.stream().anyMatch(e.getName()::startsWith))) {
                        found.add(home.relativize(jar).toString());
                    }
                }
            }
        }
        return found;
    }

    /** bin/ as JMeter's distribution has it: every bin/ file of ApacheJMeter_config (a test dependency). */
    private static void restoreBinFromJMetersConfigJar(Path home) throws IOException {
        URL properties = StockJMeter.class.getClassLoader().getResource("bin/jmeter.properties");
        if (properties == null || !(properties.openConnection() instanceof JarURLConnection connection)) {
            throw new IllegalStateException("ApacheJMeter_config's bin/jmeter.properties is not on the test class path");
        }
        try (JarFile config = new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile())) {
            for (JarEntry entry : Collections.list(config.entries())) {
                if (entry.getName().startsWith("bin/") && !entry.isDirectory()) {
                    Path target = home.resolve(entry.getName());
                    Files.createDirectories(target.getParent());
                    try (InputStream in = config.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
