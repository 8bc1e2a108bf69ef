package io.github.jmeterportscan.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service names by port and protocol, and TCP ports in order of how often they are found open,
 * as nmap reads them from its nmap-services file. Names feed the SERVICE column and the -p
 * service masks; the frequency order feeds the default port list, -F and --top-ports.
 *
 * <p>When nmap is installed its own file is used, so our port lists are nmap's. Otherwise a table
 * made from the IANA registry is bundled; it has no open-frequency data, and
 * {@link #approximateRanking} stands in for it.
 */
public final class ServiceTable implements IntFunction<String> {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTable.class);

    /** nmap's word for a port with no entry in the table. */
    public static final String UNKNOWN = "unknown";

    private static final String BUNDLED = "iana-tcp-services.txt";

    /**
     * Ports commonly found open on networked hosts, most common first. Our own short list (not
     * nmap's data), used only to order the bundled IANA table: it only approximates nmap's
     * frequency order. Ports not listed follow in ascending order, so well-known ports (below
     * 1024) come before registered ones.
     */
    private static final int[] COMMON_TCP_PORTS = {
        80, 443, 22, 21, 25, 23, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995,
        993, 5900, 1025, 587, 8888, 199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179,
        1026, 2000, 8443, 8000, 32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027, 5666,
        646, 5000, 5631, 631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000, 513,
        990, 5357, 427, 49156, 543, 544, 5101, 144, 7, 389
    };

    private static volatile ServiceTable system;

    /** One service line: name, port, protocol ("tcp", "udp", "sctp") and open frequency. */
    record Entry(String name, int port, String protocol, double ratio) {
    }

    private final String source;
    private final boolean hasRatios;
    /** All entries in nmap's (port, protocol) order; the order masks are matched in. */
    private final List<Entry> entries;
    private final Map<String, Map<Integer, Entry>> byProtocol;
    private final int[] tcpByFrequency;

    private ServiceTable(String source, List<Entry> fileOrder, boolean hasRatios) {
        this.source = source;
        this.hasRatios = hasRatios;
        Map<String, Map<Integer, Entry>> protocols = new HashMap<>();
        for (Entry e : fileOrder) {
            protocols.computeIfAbsent(e.protocol(), p -> new HashMap<>()).put(e.port(), e);
        }
        List<Entry> sorted = new ArrayList<>(fileOrder);
        sorted.sort(Comparator.comparingInt(Entry::port).thenComparing(Entry::protocol));
        this.entries = List.copyOf(sorted);
        this.byProtocol = protocols;
        // Stable sort by descending ratio: equal ratios keep the file's order, as nmap's list sort.
        List<Entry> byRatio = new ArrayList<>(fileOrder);
        if (hasRatios) {
            byRatio.sort(Comparator.comparingDouble(Entry::ratio).reversed());
        } else {
            byRatio = approximateRanking(fileOrder);
        }
        this.tcpByFrequency = byRatio.stream().filter(e -> e.protocol().equals("tcp"))
                .mapToInt(Entry::port).toArray();
    }

    /**
     * The table nmap itself would use: nmap-services from $NMAPDIR, ~/.nmap, /usr/local/share/nmap
     * or /usr/share/nmap (first found), else the bundled IANA table. Loaded once.
     */
    public static ServiceTable system() {
        ServiceTable table = system;
        if (table == null) {
            synchronized (ServiceTable.class) {
                table = system;
                if (table == null) {
                    table = loadSystem();
                    system = table;
                }
            }
        }
        return table;
    }

    private static ServiceTable loadSystem() {
        List<Path> candidates = new ArrayList<>();
        String nmapDir = System.getenv("NMAPDIR");
        if (nmapDir != null && !nmapDir.isEmpty()) {
            candidates.add(Path.of(nmapDir, "nmap-services"));
        }
        String home = System.getProperty("user.home");
        if (home != null) {
            candidates.add(Path.of(home, ".nmap", "nmap-services"));
        }
        candidates.add(Path.of("/usr/local/share/nmap/nmap-services"));
        candidates.add(Path.of("/usr/share/nmap/nmap-services"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isReadable(candidate)) {
                try {
                    ServiceTable table = load(candidate);
                    LOG.debug("Loaded {} service entries from {}", table.entries.size(), candidate);
                    return table;
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("Cannot read {} ({}); trying the next candidate", candidate, e.getMessage());
                }
            }
        }
        LOG.debug("No nmap-services file found; using the bundled IANA table");
        return bundled();
    }

    /** Reads a file in nmap-services format ("name port/proto [ratio] [# comment]"). */
    public static ServiceTable load(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return parse(reader, file.toString());
        }
    }

    /** The IANA-derived table shipped in the jar. */
    public static ServiceTable bundled() {
        try (InputStream in = ServiceTable.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED + " missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)),
                    "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServiceTable parse(BufferedReader reader, String source) throws IOException {
        Map<String, Entry> seen = new LinkedHashMap<>();
        boolean ratios = false;
        String line;
        while ((line = reader.readLine()) != null) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+", 4);
            if (fields.length < 2) {
                continue;
            }
            int slash = fields[1].indexOf('/');
            if (slash <= 0) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(fields[1].substring(0, slash));
            } catch (NumberFormatException e) {
                continue;
            }
            if (port < 0 || port > PortSet.MAX_PORT) {
                continue;
            }
            String protocol = fields[1].substring(slash + 1).toLowerCase(Locale.ROOT);
            if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
                continue;
            }
            double ratio = 0;
            if (fields.length >= 3) {
                String r = fields[2];
                if (r.contains("/")) {
                    String[] nd = r.split("/", 2);
                    try {
                        ratio = (double) Integer.parseInt(nd[0]) / Integer.parseInt(nd[1]);
                        ratios = true;
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw new IOException(source + " contains invalid port ratio string: " + r);
                    }
                } else if (r.startsWith("0.")) {
                    ratio = CNumbers.strtod(r).value();
                    ratios = true;
                }
            }
            // nmap keeps the first line for a port/protocol pair.
            seen.putIfAbsent(port + "/" + protocol, new Entry(fields[0], port, protocol, ratio));
        }
        return new ServiceTable(source, new ArrayList<>(seen.values()), ratios);
    }

    private static List<Entry> approximateRanking(List<Entry> fileOrder) {
        Map<Integer, Integer> rank = new HashMap<>();
        for (int i = 0; i < COMMON_TCP_PORTS.length; i++) {
            rank.putIfAbsent(COMMON_TCP_PORTS[i], i);
        }
        List<Entry> out = new ArrayList<>(fileOrder);
        out.sort(Comparator.<Entry>comparingInt(e -> rank.getOrDefault(e.port(), Integer.MAX_VALUE))
                .thenComparingInt(Entry::port));
        return out;
    }

    /** Where the table came from (a path, or the bundled resource). */
    public String source() {
        return source;
    }

    /** Whether the table carries nmap's open-frequency ratios (false for the bundled table). */
    public boolean hasFrequencies() {
        return hasRatios;
    }

    /** The TCP service name for a port, or "unknown" as nmap prints it. */
    public String nameOf(int port) {
        Entry e = byProtocol.getOrDefault("tcp", Map.of()).get(port);
        return e == null ? UNKNOWN : e.name();
    }

    @Override
    public String apply(int port) {
        return nameOf(port);
    }

    /** Whether the table lists this port for the protocol ("tcp", "udp", "sctp"). */
    public boolean contains(int port, String protocol) {
        return byProtocol.getOrDefault(protocol, Map.of()).containsKey(port);
    }

    /** Number of TCP entries (nmap caps --top-ports at this). */
    public int tcpCount() {
        return tcpByFrequency.length;
    }

    /** TCP ports, most frequently open first. */
    public int[] tcpPortsByFrequency() {
        return tcpByFrequency.clone();
    }

    /** Ports of the protocol whose service name matches the glob mask (case-insensitive). */
    public BitSet portsMatching(String mask, String protocol) {
        BitSet out = new BitSet();
        for (Entry e : entries) {
            if (e.protocol().equals(protocol) && Wildcard.matches(mask, e.name())) {
                out.set(e.port());
            }
        }
        return out;
    }

    /** Distinct service names (for diagnostics and tests). */
    public Set<String> names() {
        Set<String> names = new HashSet<>();
        entries.forEach(e -> names.add(e.name()));
        return Collections.unmodifiableSet(names);
    }
}
