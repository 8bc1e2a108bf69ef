package io.github.jmeterportscan.spec;

import static io.github.jmeterportscan.testsupport.Fuzz.resultOr;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.lists;

import io.github.jmeterportscan.testsupport.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of whole command lines ({@link NmapCommandLine}): any words give a request (or -h/-V)
 * or a {@link ScanSpecException}, never another exception; words shaped like nmap's options, with
 * values from the port, target and time grammars, give requests whose ports, timing and targets
 * hold up, and whose targets expand or are refused with the typed error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CommandLinePropertyTest {
    private static final List<String> FLAGS = List.of("-sS", "-sT", "-sA", "-sU", "-sSA", "-s", "-sB", "-Pn", "-P0",
            "-PS", "-n", "-R", "-r", "-F", "-4", "-6", "-v", "-vv", "-v3", "-vx", "-d", "-d2", "--reason", "--open",
            "--packet-trace", "-h", "-V", "--", "-", "--top", "--max", "-max-retries", "--nosuch", "-I", "-oH",
            "--resume", "-O", "-A", "--script", "--iflist", "--vv", "-nR", "-Pnv", "--webxml", "--reason=x", "-:");
    private static final List<String> VALUED = List.of("-p", "--exclude-ports", "--top-ports", "-T", "--timing",
            "--max-retries", "--host-timeout", "--scan-delay", "--max-scan-delay", "--initial-rtt-timeout",
            "--min-rtt-timeout", "--max-rtt-timeout", "--min-rate", "--max-rate", "-g", "--source-port", "-e", "-oN",
            "-oX", "-oG", "-oA", "-oM", "-m", "-o", "--pcap", "-iL", "--excludefile", "--exclude", "-i");

    private final NmapCommandLine commandLine = new NmapCommandLine(ServiceTable.system(), "nmap");
    private final TargetExpander expander = new TargetExpander(HostResolver.SYSTEM, 4096);

    @TempDir
    Path dir;
    private Path targetFile;

    @BeforeEach
    void targetFile() throws IOException {
        targetFile = dir.resolve("targets.txt");
        Files.writeString(targetFile, "127.0.0.1 # a comment\n::1\tlocalhost\n\u0000198.18.0.1/30\n");
    }

    private Gen<String> valueFor(String option) {
        return switch (option) {
            case "-p", "--exclude-ports" ->
                    Fuzz.damaged(PortSpecPropertyTest.portSpecs(), PortSpecPropertyTest.ALPHABET);
            case "-iL", "-i", "--excludefile" -> Generate.pick(List.of(targetFile.toString(), dir.toString(),
                    dir.resolve("missing").toString(), "-", "", "a\u0000b"));
            case "--exclude" -> Fuzz.joined(TargetPropertyTest.expressions(), ",", 3);
            case "-oN", "-oX", "-oG", "-oA", "-oM", "-m", "-o", "--pcap" -> Generate.pick(List.of("-", "out.xml",
                    "-file", "Nfoo", "", "a\u0000b", dir.resolve("x").toString()));
            case "-T", "--timing" -> Generate.pick(List.of("4", "aggressive", "11", "9", "", "T"));
            case "--top-ports" -> Generate.pick(List.of("1", "10", "1000", "99999", "0", "-1", "1.5", "nan", "x"));
            case "-g", "--source-port" -> Fuzz.number(-70_000, 70_000);
            case "-e" -> Generate.pick(List.of("lo", "eth0", ""));
            default -> Fuzz.damaged(TimingPropertyTest.timeValues(), "0123456789.msh-");
        };
    }

    /** One option as a user may spell it: alone, with its value as the next word, attached, or after '='. */
    private Gen<List<String>> option() {
        Gen<List<String>> flag = Generate.pick(FLAGS).map((String f) -> List.of(f));
        Gen<List<String>> valued = Generate.pick(VALUED).flatMap(option -> valueFor(option).zip(
                Generate.pick(List.of(0, 0, 1, 2)), (value, form) -> switch (form) {
                    case 0 -> List.of(option, value);
                    case 1 -> List.of(option + value);
                    default -> List.of(option + "=" + value);
                }));
        Gen<List<String>> target = TargetPropertyTest.expressions().map((String t) -> List.of(t));
        return Generate.frequency(List.of(Pair.of(3, flag), Pair.of(4, valued), Pair.of(2, target)));
    }

    private Gen<List<String>> commandLines() {
        return lists().of(option()).ofSizeBetween(0, 7).map((List<List<String>> parts) -> {
            List<String> words = new ArrayList<>();
            parts.forEach(words::addAll);
            return words;
        });
    }

    /**
     * Found by the properties: a file name with a NUL character (possible in a JMeter field) threw
     * InvalidPathException out of the parser instead of a message.
     */
    @Test
    void fileNamesNoFileCanHaveAreRefusedWithAMessage() {
        for (List<String> words : List.of(List.of("-iL", "a\u0000b"), List.of("--excludefile", "a\u0000b", "::1"),
                List.of("-oX", "a\u0000b", "::1"), List.of("--pcap", "a\u0000b", "::1"))) {
            ScanSpecException e = assertThrows(ScanSpecException.class, () -> commandLine.parseCommandLine(words));
            assertTrue(e.getMessage().contains("a\u0000b") && e.getMessage().endsWith("Nul character not allowed"),
                    e.getMessage());
        }
    }

    @Test
    void anyWordsGiveARequestOrTheTypedError() {
        Fuzz.qt().forAll(lists().of(Generate.oneOf(Fuzz.anyText(12), Generate.pick(FLAGS), Generate.pick(VALUED)))
                .ofSizeBetween(0, 6)).checkAssert(words -> resultOr(ScanSpecException.class,
                        () -> commandLine.parseCommandLine(words)));
    }

    @Test
    void optionShapedWordsGiveSoundRequestsOrTheTypedError() {
        Fuzz.qt().forAll(commandLines()).checkAssert(words -> {
            Optional<ParsedCommandLine> parsed = resultOr(ScanSpecException.class,
                    () -> commandLine.parseCommandLine(words));
            if (parsed.isEmpty() || parsed.get().request().isEmpty()) {
                return;
            }
            ScanRequest request = parsed.get().request().get();
            assertTrue(request.ports().stream().allMatch(p -> p >= 0 && p <= PortSet.MAX_PORT), words::toString);
            Timing t = request.timing();
            assertTrue(t.minRtt().compareTo(t.initialRtt()) <= 0 && t.initialRtt().compareTo(t.maxRtt()) <= 0,
                    () -> words + " gave " + t);
            assertTrue(request.sourcePort().orElse(0) >= 0 && request.sourcePort().orElse(0) <= PortSet.MAX_PORT,
                    words::toString);
            resultOr(ScanSpecException.class, () -> expander.expand(request));
        });
    }
}
