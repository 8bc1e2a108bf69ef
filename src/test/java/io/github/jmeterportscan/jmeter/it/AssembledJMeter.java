package io.github.jmeterportscan.jmeter.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JMeter that jmeter-maven-plugin's configure goal assembled for this build (pre-integration-test), with this
 * project's jar in lib/ext. The plugin puts it under a random directory and records where in target/config.json.
 */
record AssembledJMeter(Path home, String runtimeJarName) {

    /** Id of the configure execution in pom.xml; the plugin keys its records by it. */
    private static final String EXECUTION_ID = "configuration";

    static AssembledJMeter locate() throws IOException {
        Path config = Path.of(System.getProperty("portscan.it.jmeterConfig", "target/config.json"));
        if (!Files.isRegularFile(config)) {
            throw new IllegalStateException(config + " is missing: run the integration tests through Maven"
                    + " (./mvnw verify), whose pre-integration-test phase assembles JMeter");
        }
        String json = Files.readString(config);
        // One object per configure execution; the fields needed here are plain strings, so a pattern is enough.
        Matcher entry = Pattern.compile("\\{\"executionID\":\"" + EXECUTION_ID
                + "\",\"jmeterDirectoryPath\":\"([^\"]+)\",\"runtimeJarName\":\"([^\"]+)\"").matcher(json);
        if (!entry.find()) {
            throw new IllegalStateException(config + " has no record of the '" + EXECUTION_ID + "' execution");
        }
        AssembledJMeter jmeter = new AssembledJMeter(Path.of(entry.group(1)), entry.group(2));
        if (!Files.isRegularFile(jmeter.runtimeJar())) {
            throw new IllegalStateException("assembled JMeter not found at " + jmeter.runtimeJar());
        }
        return jmeter;
    }

    Path bin() {
        return home.resolve("bin");
    }

    Path runtimeJar() {
        return bin().resolve(runtimeJarName);
    }

    /**
     * A process running this JMeter the way the plugin does ({@code java -jar bin/ApacheJMeter-x.jar}, working
     * directory bin, so that the merged jmeter.properties and user.properties there apply). The plugin's copy
     * has no bin/jmeter script.
     */
    ProcessBuilder process(List<String> jvmOptions, List<String> jmeterArguments, Map<String, String> jmeterProperties) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(runtimeJar().toString());
        command.addAll(jmeterArguments);
        jmeterProperties.forEach((name, value) -> command.add("-J" + name + "=" + value));
        return new ProcessBuilder(command).directory(bin().toFile());
    }
}
