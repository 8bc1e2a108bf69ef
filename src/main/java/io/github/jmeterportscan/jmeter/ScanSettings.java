package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.spec.ScanSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sampler's scan fields after JMeter substituted variables, turned into the nmap command line
 * they stand for, so that one parser ({@code NmapCommandLine}) validates both the fields and the
 * free-form options line and answers with nmap's messages.
 *
 * <p>When {@code nmapOptions} is not blank it replaces every option field (ports, scan type,
 * timing, interface); targets, excludes and the XML file still come from their fields and are
 * added after it. Targets are blank-separated as on nmap's command line (commas belong to nmap's
 * octet lists: {@code 198.18.0.1,2}).
 *
 * <p>{@code hostDiscovery} ({@link HostDiscoveryMode}) adds -Pn or -sn; with an options line that
 * names a discovery option of its own (-sn, -P...), the default -Pn is left out and the line decides.
 */
public record ScanSettings(
        String targets,
        String exclude,
        String ports,
        String topPorts,
        String scanType,
        String timingTemplate,
        String maxRetries,
        String hostTimeout,
        String minRate,
        String maxRate,
        String initialRttTimeout,
        String minRttTimeout,
        String maxRttTimeout,
        String scanDelay,
        String networkInterface,
        String sourcePort,
        String nmapOptions,
        String xmlFile,
        String hostDiscovery) {

    /** The fields of a sampler saved before the host-discovery field existed: no discovery (-Pn). */
    public ScanSettings(String targets, String exclude, String ports, String topPorts, String scanType,
            String timingTemplate, String maxRetries, String hostTimeout, String minRate, String maxRate,
            String initialRttTimeout, String minRttTimeout, String maxRttTimeout, String scanDelay,
            String networkInterface, String sourcePort, String nmapOptions, String xmlFile) {
        this(targets, exclude, ports, topPorts, scanType, timingTemplate, maxRetries, hostTimeout, minRate, maxRate,
                initialRttTimeout, minRttTimeout, maxRttTimeout, scanDelay, networkInterface, sourcePort, nmapOptions,
                xmlFile, "");
    }

    public static final String SCAN_AUTO = "auto";
    public static final String SCAN_SYN = "SYN (-sS)";
    public static final String SCAN_CONNECT = "connect (-sT)";
    public static final String SCAN_ACK = "ACK (-sA)";
    public static final String TEMPLATE_DEFAULT = "default";

    /** The nmap arguments these fields stand for, in nmap's order: options, then targets. */
    public List<String> toArguments() throws ScanSpecException {
        List<String> args = new ArrayList<>();
        HostDiscoveryMode discovery = HostDiscoveryMode.parse(hostDiscovery);
        if (!blank(nmapOptions)) {
            List<String> words = CommandLineWords.split(nmapOptions);
            boolean ownDiscovery = words.stream().anyMatch(w -> w.startsWith("-P") || w.equals("-sn"));
            if (discovery != HostDiscoveryMode.NONE || !ownDiscovery) {
                args.addAll(discovery.options());
            }
            args.addAll(words);
        } else {
            args.addAll(discovery.options());
            // A ping scan scans no port: nmap refuses port options with -sn.
            if (discovery != HostDiscoveryMode.PING_ONLY) {
                option(args, "-p", ports);
                option(args, "--top-ports", topPorts);
            }
            scanTypeOption(args);
            templateOption(args);
            option(args, "--max-retries", maxRetries);
            option(args, "--host-timeout", hostTimeout);
            option(args, "--min-rate", minRate);
            option(args, "--max-rate", maxRate);
            option(args, "--initial-rtt-timeout", initialRttTimeout);
            option(args, "--min-rtt-timeout", minRttTimeout);
            option(args, "--max-rtt-timeout", maxRttTimeout);
            option(args, "--scan-delay", scanDelay);
            option(args, "-e", networkInterface);
            option(args, "-g", sourcePort);
        }
        if (!blank(exclude)) {
            // nmap's --exclude takes one comma-separated word; accept blanks between entries too.
            args.add("--exclude");
            args.add(String.join(",", exclude.trim().split("[\\s,]+")));
        }
        if (!blank(xmlFile)) {
            args.add("-oX");
            args.add(xmlFile.trim());
        }
        if (!blank(targets)) {
            args.addAll(CommandLineWords.split(targets));
        }
        return args;
    }

    private void scanTypeOption(List<String> args) throws ScanSpecException {
        String t = blank(scanType) ? SCAN_AUTO : scanType.trim().toLowerCase(Locale.ROOT);
        if (t.equals(SCAN_AUTO)) {
            return;
        }
        if (t.startsWith("syn") || t.equals("-ss")) {
            args.add("-sS");
        } else if (t.startsWith("connect") || t.equals("-st")) {
            args.add("-sT");
        } else if (t.startsWith("ack") || t.equals("-sa")) {
            args.add("-sA");
        } else {
            throw new ScanSpecException("Unknown scan type \"" + scanType.trim()
                    + "\"; use auto, SYN (-sS), connect (-sT) or ACK (-sA)");
        }
    }

    /** "T4 (aggressive)", "T4", "4" and "aggressive" all become -T4 / -Taggressive for nmap to check. */
    private void templateOption(List<String> args) {
        if (blank(timingTemplate)) {
            return;
        }
        String word = timingTemplate.trim().split("\\s+")[0];
        if (word.equalsIgnoreCase(TEMPLATE_DEFAULT)) {
            return;
        }
        if (word.length() > 1 && (word.charAt(0) == 'T' || word.charAt(0) == 't') && Character.isDigit(word.charAt(1))) {
            word = word.substring(1);
        }
        args.add("-T" + word);
    }

    private static void option(List<String> args, String option, String value) {
        if (!blank(value)) {
            args.add(option);
            args.add(value.trim());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The tags of the timing-template field. */
    static String[] templateTags() {
        return new String[] {TEMPLATE_DEFAULT, "T0 (paranoid)", "T1 (sneaky)", "T2 (polite)", "T3 (normal)",
            "T4 (aggressive)", "T5 (insane)"};
    }
}
