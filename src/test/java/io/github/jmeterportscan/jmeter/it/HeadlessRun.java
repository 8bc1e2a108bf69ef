package io.github.jmeterportscan.jmeter.it;

import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.ResultsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One non-GUI run of a plan in the assembled JMeter ({@code -n -t plan -l results -j log [-e -o report]}), in
 * {@code outputDir/<plan name>}; with {@code -R} it is the controller of a distributed run.
 */
record HeadlessRun(Path plan, Path results, Path log, Path report, String output, Duration took) {

    static HeadlessRun run(AssembledJMeter jmeter, Path plan, Path outputDir, boolean dashboard,
            Map<String, String> jmeterProperties, Duration timeout) throws IOException, InterruptedException {
        return run(jmeter, plan, outputDir, dashboard, List.of(), List.of(), jmeterProperties, timeout);
    }

    /** The same with more JVM options and more JMeter arguments ({@code -R host:port,...}, {@code -X}). */
    static HeadlessRun run(AssembledJMeter jmeter, Path plan, Path outputDir, boolean dashboard, List<String> jvmOptions,
            List<String> moreArguments, Map<String, String> jmeterProperties, Duration timeout)
            throws IOException, InterruptedException {
        String name = plan.getFileName().toString().replaceFirst("\\.jmx$", "");
        Path dir = outputDir.resolve(name);
        ItPaths.emptyDir(dir); // JMeter appends to an existing results file and refuses a non-empty report dir
        Path results = dir.resolve(name + ".csv");
        Path log = dir.resolve("jmeter.log");
        Path report = dir.resolve("report");
        List<String> arguments = new ArrayList<>(List.of("-n", "-t", plan.toAbsolutePath().toString(),
                "-l", results.toString(), "-j", log.toString()));
        if (dashboard) {
            arguments.addAll(List.of("-e", "-o", report.toString()));
        }
        arguments.addAll(moreArguments);
        List<String> jvm = new ArrayList<>(List.of("-Djava.awt.headless=true"));
        jvm.addAll(jvmOptions);
        Path console = dir.resolve("console.txt");
        ProcessBuilder builder = jmeter.process(jvm, arguments, jmeterProperties)
                .redirectErrorStream(true).redirectOutput(console.toFile());
        long start = System.nanoTime();
        Process process = Commands.start(builder);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("JMeter did not finish " + plan + " within " + timeout
                        + " (a non-daemon thread left running by the plan keeps it alive); log: " + log);
            }
        } finally {
            Commands.stop(process);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String output = Files.readString(console, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("JMeter exited with " + process.exitValue() + " on " + plan + ":\n" + output);
        }
        return new HeadlessRun(plan, results, log, report, output, took);
    }

    ResultsFile resultsFile() throws IOException {
        if (!Files.isRegularFile(results)) {
            throw new AssertionError("no results file for " + plan + "; JMeter said:\n" + output);
        }
        return ResultsFile.read(results);
    }
}
