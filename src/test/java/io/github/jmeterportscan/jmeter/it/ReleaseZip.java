package io.github.jmeterportscan.jmeter.it;

import io.github.jmeterportscan.report.ProgramIdentity;
import io.github.jmeterportscan.testsupport.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The release zip of this build (target/jmeter-portscan-&lt;version&gt;.zip, made by the package phase) and the Plugins
 * Manager descriptor next to it, as a user gets them.
 */
record ReleaseZip(Path zip, String version) {

    static ReleaseZip locate() {
        String version = ProgramIdentity.PORTSCAN.version();
        Path zip = Path.of(System.getProperty("portscan.it.releaseZip", "target/jmeter-portscan-" + version + ".zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: the package phase makes it (run ./mvnw verify)");
        }
        return new ReleaseZip(zip.toAbsolutePath(), version);
    }

    static Path descriptor() {
        Path json = Path.of(System.getProperty("portscan.it.pluginDescriptor", "target/jmeter-portscan.json"));
        if (!Files.isRegularFile(json)) {
            throw new IllegalStateException(json + " is missing: the package phase makes it (run ./mvnw verify)");
        }
        return json.toAbsolutePath();
    }

    /** The plugin jar's name, as the zip has it in lib/ext and the descriptor's downloadUrl ends. */
    String pluginJarName() {
        return "jmeter-portscan-" + version + ".jar";
    }

    /** The zip's file entries (directories left out), in zip order. */
    List<String> files() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).forEach(names::add);
        }
        return names;
    }

    /** The file names in one directory of the zip ("lib/", "lib/ext/"), not those of its subdirectories. */
    List<String> filesIn(String directory) throws IOException {
        return files().stream().filter(name -> name.startsWith(directory) && name.indexOf('/', directory.length()) < 0)
                .map(name -> name.substring(directory.length())).toList();
    }

    byte[] read(String name) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                throw new AssertionError("no " + name + " in " + zip);
            }
            return file.getInputStream(entry).readAllBytes();
        }
    }

    /** Unpacks the zip over a JMeter home with the command README.md gives: {@code unzip -o <zip> -d <home>}. */
    void unpackOver(Path home, Path console) throws IOException, InterruptedException {
        Process unzip = Commands.start(new ProcessBuilder("unzip", "-o", zip.toString(), "-d", home.toString())
                .redirectErrorStream(true).redirectOutput(console.toFile()));
        try {
            if (!unzip.waitFor(1, TimeUnit.MINUTES) || unzip.exitValue() != 0) {
                throw new AssertionError("unzip failed: " + Files.readString(console, StandardCharsets.UTF_8));
            }
        } finally {
            Commands.stop(unzip);
        }
    }
}
