package io.github.jmeterportscan.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/** Test-side TCP port → service name lookup read from nmap's own nmap-services. */
final class NmapServicesFile implements IntFunction<String> {
    static final Path DEFAULT = Path.of("/usr/share/nmap/nmap-services");

    private final Map<Integer, String> names;

    private NmapServicesFile(Map<Integer, String> names) {
        this.names = Map.copyOf(names);
    }

    static NmapServicesFile load() {
        try {
            Map<Integer, String> names = new HashMap<>();
            for (String line : Files.readAllLines(DEFAULT, StandardCharsets.ISO_8859_1)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s+");
                if (fields.length < 2 || !fields[1].endsWith("/tcp")) {
                    continue;
                }
                int port = Integer.parseInt(fields[1].substring(0, fields[1].indexOf('/')));
                names.putIfAbsent(port, fields[0]);
            }
            return new NmapServicesFile(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String apply(int port) {
        return names.get(port);
    }
}
