package io.github.jmeterportscan.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vendor names for Ethernet addresses, from the system's nmap-mac-prefixes (IEEE OUI registry) when
 * installed; nmap prints "Unknown" for a prefix it does not know, and so do we without the file.
 */
final class MacVendors {
    private static final List<Path> LOCATIONS = List.of(Path.of("/usr/share/nmap/nmap-mac-prefixes"),
            Path.of("/usr/local/share/nmap/nmap-mac-prefixes"));

    private MacVendors() {
    }

    /** The vendor of "02:00:7C:8E:9C:02"-style addresses, if the registry knows its prefix. */
    static Optional<String> vendorOf(String mac) {
        String hex = mac.replace(":", "").toUpperCase(Locale.ROOT);
        Map<String, String> table = table();
        // The registry mixes 24-, 28- and 36-bit prefixes: the longest match is the most precise.
        for (int digits = 9; digits >= 6; digits--) {
            String vendor = table.get(hex.substring(0, Math.min(digits, hex.length())));
            if (vendor != null) {
                return Optional.of(vendor);
            }
        }
        return Optional.empty();
    }

    /**
     * The registry, read once per JVM when first needed: the JVM initialises this holder class
     * exactly once however many threads ask at the same moment (JMeter threads that finish their
     * first sample together must not each read their own copy).
     */
    private static final class Table {
        static final Map<String, String> PREFIXES = load();

        private Table() {
        }
    }

    /** The registry as loaded, shared by every caller. */
    static Map<String, String> table() {
        return Table.PREFIXES;
    }

    private static Map<String, String> load() {
        Map<String, String> table = new HashMap<>();
        for (Path location : LOCATIONS) {
            if (!Files.isReadable(location)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(location, StandardCharsets.ISO_8859_1)) {
                    int space = line.indexOf(' ');
                    if (line.startsWith("#") || space < 6) {
                        continue;
                    }
                    table.putIfAbsent(line.substring(0, space).toUpperCase(Locale.ROOT), line.substring(space + 1).trim());
                }
                return Map.copyOf(table);
            } catch (IOException e) {
                return Map.of();
            }
        }
        return Map.of();
    }
}
