package io.github.jmeterportscan.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
public final class ServiceTable {
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

    /** The protocols a table holds, in the order nmap's list sort puts them for one port. */
    static final String[] PROTOCOLS = {"sctp", "tcp", "udp"};
    private static final int TCP = 1;

    private final String source;
    private final boolean hasRatios;
    /** Service names by protocol (as {@link #PROTOCOLS}) and port; null where the file has no line. */
    private final String[][] names;
    private final int[] tcpByFrequency;

    private ServiceTable(String source, String[][] names, int[] tcpByFrequency, boolean hasRatios) {
        this.source = source;
        this.names = names;
        this.tcpByFrequency = tcpByFrequency;
        this.hasRatios = hasRatios;
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
                    LOG.debug("Loaded {} TCP service entries from {}", table.tcpCount(), candidate);
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
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** The IANA-derived table shipped in the jar. */
    public static ServiceTable bundled() {
        try (InputStream in = ServiceTable.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED + " missing from the class path");
            }
            return parse(in.readAllBytes(), "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the file's lines straight from its bytes (ISO-8859-1, one char per byte). Every CLI run
     * and every JMeter test reads nmap's 27,000 lines before it can do anything else, still in the
     * interpreter, so parsing avoids regular expressions and string-keyed maps: they would dominate
     * the CLI's start.
     */
    private static ServiceTable parse(byte[] text, String source) throws IOException {
        String[][] names = new String[PROTOCOLS.length][];
        for (int p = 0; p < names.length; p++) {
            names[p] = new String[PortSet.MAX_PORT + 1];
        }
        ServiceLines lines = new ServiceLines(text);
        int[] tcpPorts = new int[PortSet.MAX_PORT + 1];
        double[] tcpRatios = new double[PortSet.MAX_PORT + 1];
        int tcpCount = 0;
        boolean ratios = false;
        while (lines.next()) {
            int protocol = lines.protocol();
            int port = lines.port();
            // nmap keeps the first line for a port/protocol pair.
            if (protocol < 0 || names[protocol][port] != null) {
                continue;
            }
            names[protocol][port] = lines.name();
            double ratio = lines.ratio(source);
            ratios |= lines.hasRatio();
            if (protocol == TCP) {
                tcpPorts[tcpCount] = port;
                tcpRatios[tcpCount] = ratio;
                tcpCount++;
            }
        }
        int[] byFrequency = ratios ? byDescendingRatio(tcpPorts, tcpRatios, tcpCount)
                : approximateRanking(Arrays.copyOf(tcpPorts, tcpCount));
        return new ServiceTable(source, names, byFrequency, ratios);
    }

    /** Stable by descending ratio: equal ratios keep the file's order, as nmap's list sort does. */
    private static int[] byDescendingRatio(int[] ports, double[] ratios, int count) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(ratios[b], ratios[a]));
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = ports[order[i]];
        }
        return out;
    }

    /** Ports in {@link #COMMON_TCP_PORTS} first, in its order; then the rest in ascending order. */
    private static int[] approximateRanking(int[] ports) {
        int[] rank = new int[PortSet.MAX_PORT + 1];
        Arrays.fill(rank, Integer.MAX_VALUE);
        for (int i = COMMON_TCP_PORTS.length - 1; i >= 0; i--) {
            rank[COMMON_TCP_PORTS[i]] = i;
        }
        return Arrays.stream(ports).boxed()
                .sorted(Comparator.<Integer>comparingInt(port -> rank[port]).thenComparingInt(port -> port))
                .mapToInt(Integer::intValue).toArray();
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
        String name = listedName(port);
        return name == null ? UNKNOWN : name;
    }

    /**
     * The TCP service name the table lists for a port, or null when it lists none. The report
     * writers take this form: nmap writes no {@code <service>} element and an empty grepable
     * service field for such a port, and prints "unknown" only in the normal output's table.
     */
    public String listedName(int port) {
        return port >= 0 && port <= PortSet.MAX_PORT ? names[TCP][port] : null;
    }

    /** Whether the table lists this port for the protocol ("tcp", "udp", "sctp"). */
    public boolean contains(int port, String protocol) {
        int p = protocolIndex(protocol);
        return p >= 0 && port >= 0 && port <= PortSet.MAX_PORT && names[p][port] != null;
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
        int p = protocolIndex(protocol);
        if (p < 0) {
            return out;
        }
        for (int port = 0; port <= PortSet.MAX_PORT; port++) {
            String name = names[p][port];
            if (name != null && Wildcard.matches(mask, name)) {
                out.set(port);
            }
        }
        return out;
    }

    /** Distinct service names (for diagnostics and tests). */
    public Set<String> names() {
        Set<String> all = new HashSet<>();
        for (String[] byPort : names) {
            for (String name : byPort) {
                if (name != null) {
                    all.add(name);
                }
            }
        }
        return Collections.unmodifiableSet(all);
    }

    private static int protocolIndex(String protocol) {
        for (int p = 0; p < PROTOCOLS.length; p++) {
            if (PROTOCOLS[p].equals(protocol)) {
                return p;
            }
        }
        return -1;
    }
}
