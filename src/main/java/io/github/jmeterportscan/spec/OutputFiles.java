package io.github.jmeterportscan.spec;

import java.util.Optional;

/**
 * Where to write the report formats nmap writes with -oN, -oX and -oG (a path of "-" means
 * stdout), and the packet capture of --pcap (an extension of this scanner: nmap has no such option).
 */
public record OutputFiles(Optional<String> normal, Optional<String> xml, Optional<String> grepable,
        Optional<String> pcap) {
    public static final OutputFiles NONE = new OutputFiles(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** The report formats only, no packet capture. */
    public OutputFiles(Optional<String> normal, Optional<String> xml, Optional<String> grepable) {
        this(normal, xml, grepable, Optional.empty());
    }

    public OutputFiles withNormal(String path) {
        return new OutputFiles(Optional.of(path), xml, grepable, pcap);
    }

    public OutputFiles withXml(String path) {
        return new OutputFiles(normal, Optional.of(path), grepable, pcap);
    }

    public OutputFiles withGrepable(String path) {
        return new OutputFiles(normal, xml, Optional.of(path), pcap);
    }

    public OutputFiles withPcap(String path) {
        return new OutputFiles(normal, xml, grepable, Optional.of(path));
    }

    public OutputFiles withAll(String basename) {
        return new OutputFiles(Optional.of(basename + ".nmap"), Optional.of(basename + ".xml"),
                Optional.of(basename + ".gnmap"), pcap);
    }
}
