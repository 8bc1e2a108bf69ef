package io.github.jmeterportscan.jmeter.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** The test side of {@link GuiProbeAgent}: packs it as an agent jar and reads its report. */
final class GuiProbe {
    private GuiProbe() {
    }

    /** One line of probe.txt: a kind (tree, selected, text, screenshot, error, done) and its fields. */
    record Fact(String kind, List<String> fields) {
        String field(int index) {
            return index < fields.size() ? fields.get(index) : "";
        }
    }

    /** Writes a jar with the agent's classes (from the test classes) and a manifest naming its premain class. */
    static Path agentJar(Path jar) throws IOException {
        Path classes;
        try {
            classes = Path.of(GuiProbeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String packagePath = GuiProbeAgent.class.getPackageName().replace('.', '/');
        String simpleName = GuiProbeAgent.class.getSimpleName();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", GuiProbeAgent.class.getName());
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.list(classes.resolve(packagePath))) {
            for (Path classFile : files.filter(path -> {
                String name = path.getFileName().toString();
                return name.equals(simpleName + ".class") || name.startsWith(simpleName + "$");
            }).toList()) {
                out.putNextEntry(new JarEntry(packagePath + "/" + classFile.getFileName()));
                out.write(Files.readAllBytes(classFile));
                out.closeEntry();
            }
        }
        return jar;
    }

    static List<Fact> read(Path report) throws IOException {
        List<Fact> facts = new ArrayList<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            String[] parts = line.split("\t", -1);
            facts.add(new Fact(parts[0], List.of(parts).subList(1, parts.length)));
        }
        return facts;
    }
}
