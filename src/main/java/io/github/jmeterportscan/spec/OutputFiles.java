package io.github.jmeterportscan.spec;

import java.util.Optional;

/**
 * Where to write the report formats nmap writes with -oN, -oX and -oG. A path of "-" means stdout.
 */
public record OutputFiles(Optional<String> normal, Optional<String> xml, Optional<String> grepable) {
    public static final OutputFiles NONE = new OutputFiles(Optional.empty(), Optional.empty(), Optional.empty());

    public OutputFiles withNormal(String path) {
        return new OutputFiles(Optional.of(path), xml, grepable);
    }

    public OutputFiles withXml(String path) {
        return new OutputFiles(normal, Optional.of(path), grepable);
    }

    public OutputFiles withGrepable(String path) {
        return new OutputFiles(normal, xml, Optional.of(path));
    }

    public OutputFiles withAll(String basename) {
        return new OutputFiles(Optional.of(basename + ".nmap"), Optional.of(basename + ".xml"),
                Optional.of(basename + ".gnmap"));
    }
}
