package io.github.jmeterportscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.testsupport.Commands;
import io.github.jmeterportscan.testsupport.IpFamily;
import io.github.jmeterportscan.testsupport.LabPortPlan;
import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.NmapRunner;
import io.github.jmeterportscan.testsupport.PortBehavior;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ports that nmap-services does not list, end to end through the command line. nmap writes no
 * {@code <service>} element for them in -oX, an empty service field in -oG ({@code 24777/open/tcp/////})
 * and "unknown" only in the SERVICE column of -oN; ours must write the same, so that ndiff reports no
 * difference on any such port. Open and closed ones are loopback listeners and free ports; filtered
 * ones, which loopback never gives, come from a lab whose firewall drops or rejects them.
 */
class UnlistedPortsTest {
    /** A port nmap-services lists, scanned alongside: its name must still appear in every format. */
    private static final int LISTED_PORT = 1;
    private static final String LISTED_NAME = "tcpmux";
    /** Where free unlisted ports for the closed cases are looked for (none of them is in nmap-services). */
    private static final int FREE_SEARCH_FIRST = 24770;
    private static final int FREE_SEARCH_LAST = 24799;
    private static final int LISTENER_TRIES = 50;

    private static final int LAB_OPEN = 24777;
    private static final int LAB_CLOSED = 24778;
    private static final int LAB_DROPPED = 24779;
    private static final int LAB_REJECTED = 24780;
    private static final int LAB_OPEN_HIGH = 39999;
    private static final LabPortPlan LAB_PLAN = LabPortPlan.builder()
            .open(LAB_OPEN, LAB_OPEN_HIGH, 22)
            .closed(LAB_CLOSED)
            .drop(LAB_DROPPED)
            .port(LAB_REJECTED, PortBehavior.ICMP_ADMIN_PROHIBITED, PortBehavior.ICMPV6_ADMIN_PROHIBITED)
            .build();
    private static NetnsLab lab;

    private static final Pattern XML_PORT = Pattern.compile("<port protocol=\"tcp\" portid=\"\\d+\">.*?</port>");
    private static final Pattern NORMAL_TABLE = Pattern.compile("(?ms)^PORT .*?(?=^$)");
    private static final Pattern GREPABLE_PORTS = Pattern.compile("(?m)^Host: .*\tPorts: .*$");

    private final List<ServerSocket> listeners = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeListeners() throws IOException {
        for (ServerSocket listener : listeners) {
            listener.close();
        }
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** SYN needs root; a connect scan runs as any user. */
    @ParameterizedTest
    @EnumSource(value = ScanType.class, names = {"SYN", "CONNECT"})
    void loopbackListenersOnUnlistedPorts(ScanType type) throws Exception {
        requireTools();
        if (type.isRaw()) {
            Privileges.requireRoot("raw SYN scan of loopback");
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Integer> open = List.of(unlistedListener(loopback), unlistedListener(loopback));
        List<Integer> closed = freeUnlistedPorts(loopback, 2);
        List<Integer> ports = new ArrayList<>(open);
        ports.addAll(closed);
        ports.add(LISTED_PORT);

        Outputs[] both = scanBoth(List.of(type.option(), "-Pn", "-n", "--reason"), ports, "127.0.0.1");
        Outputs nmap = both[0];
        Outputs ours = both[1];
        assertSamePortLines(nmap, ours);
        for (int port : open) {
            assertUnlisted(nmap, port, "open");
            assertUnlisted(ours, port, "open");
        }
        for (int port : closed) {
            assertUnlisted(nmap, port, "closed");
            assertUnlisted(ours, port, "closed");
        }
        assertListed(ours, LISTED_PORT, "closed", LISTED_NAME);
    }

    /** Open, closed and both kinds of filtered unlisted ports, IPv4 and IPv6. */
    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void labPortsInEveryStateOnUnlistedPorts(IpFamily family) throws Exception {
        requireTools();
        Privileges.requireRoot("raw SYN scan of a network namespace");
        startLab();
        List<String> args = new ArrayList<>(List.of("-sS", "-Pn", "-n", "--reason", "-T4", "--max-retries", "1"));
        if (family == IpFamily.V6) {
            args.add("-6");
        }
        List<Integer> ports = List.of(22, LAB_OPEN, LAB_CLOSED, LAB_DROPPED, LAB_REJECTED, LAB_OPEN_HIGH);
        Outputs[] both = scanBoth(args, ports, lab.target(family).getHostAddress());
        Outputs nmap = both[0];
        Outputs ours = both[1];
        assertSamePortLines(nmap, ours);
        for (Outputs outputs : both) {
            assertUnlisted(outputs, LAB_OPEN, "open");
            assertUnlisted(outputs, LAB_OPEN_HIGH, "open");
            assertUnlisted(outputs, LAB_CLOSED, "closed");
            assertUnlisted(outputs, LAB_DROPPED, "filtered");
            assertUnlisted(outputs, LAB_REJECTED, "filtered");
            assertListed(outputs, 22, "open", "ssh");
        }
    }

    /** The three files one tool wrote for one scan. */
    private record Outputs(String tool, Path xml, String xmlText, String normal, String grepable) {
        static Outputs read(String tool, Path xml, Path normal, Path grepable) throws IOException {
            return new Outputs(tool, xml, Files.readString(xml), Files.readString(normal), Files.readString(grepable));
        }

        List<String> xmlPorts() {
            return XML_PORT.matcher(xmlText).results().map(m -> m.group()).collect(Collectors.toList());
        }

        String normalTable() {
            Matcher m = NORMAL_TABLE.matcher(normal);
            assertTrue(m.find(), () -> tool + " -oN has no port table:\n" + normal);
            return m.group();
        }

        String grepablePorts() {
            Matcher m = GREPABLE_PORTS.matcher(grepable);
            assertTrue(m.find(), () -> tool + " -oG has no Ports line:\n" + grepable);
            return m.group();
        }
    }

    /** Runs nmap, then ours, with {@code args -p ports -oX -oN -oG target}; returns {nmap, ours}. */
    private Outputs[] scanBoth(List<String> args, List<Integer> ports, String target) throws IOException {
        String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        Outputs[] both = new Outputs[2];
        String[] tools = {"nmap", "ours"};
        for (int i = 0; i < 2; i++) {
            Path xml = dir.resolve(tools[i] + ".xml");
            Path normal = dir.resolve(tools[i] + ".nmap");
            Path grepable = dir.resolve(tools[i] + ".gnmap");
            List<String> words = new ArrayList<>(args);
            words.addAll(List.of("-p", portList, "-oX", xml.toString(), "-oN", normal.toString(),
                    "-oG", grepable.toString(), target));
            if (i == 0) {
                List<String> command = new ArrayList<>(List.of("nmap"));
                command.addAll(words);
                Commands.Result nmap = Commands.runAllowingFailure(Duration.ofSeconds(120), command);
                assertEquals(0, nmap.exitCode(), () -> "nmap ran: " + nmap.describe());
            } else {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
                int status = new Main(quiet, quiet, ScanEngines.standard()).run(words.toArray(String[]::new));
                assertEquals(0, status, sink.toString(StandardCharsets.UTF_8));
            }
            both[i] = Outputs.read(tools[i], xml, normal, grepable);
        }
        return both;
    }

    /** ndiff sees no difference, our XML is valid, and each format's port lines are nmap's, byte for byte. */
    private static void assertSamePortLines(Outputs nmap, Outputs ours) {
        Commands.Result ndiff = NmapRunner.ndiff(nmap.xml(), ours.xml());
        assertEquals(0, ndiff.exitCode(), () -> "ndiff (0 = same, 1 = differences, 2 = error):\n"
                + ndiff.stdout() + ndiff.stderr());
        XmlValidation.assertValid(ours.xml());
        assertEquals(nmap.xmlPorts(), ours.xmlPorts(), "-oX <port> elements");
        assertEquals(nmap.normalTable(), ours.normalTable(), "-oN port table");
        assertEquals(nmap.grepablePorts(), ours.grepablePorts(), "-oG Ports line");
    }

    /** How a port nmap-services does not list looks in each format. */
    private static void assertUnlisted(Outputs outputs, int port, String state) {
        String element = outputs.xmlPorts().stream().filter(e -> e.contains("portid=\"" + port + "\""))
                .findFirst().orElseThrow(() -> new AssertionError(outputs.tool() + " -oX lacks port " + port));
        assertTrue(element.matches("<port protocol=\"tcp\" portid=\"" + port + "\"><state state=\"" + state
                + "\" reason=\"[a-z-]+\" reason_ttl=\"\\d+\"/></port>"), () -> outputs.tool() + ": " + element);
        assertFalse(element.contains("<service"), () -> outputs.tool() + ": " + element);
        assertTrue(Pattern.compile("(?m)^" + port + "/tcp +" + state + " +unknown [a-z-]+( ttl \\d+)?$")
                .matcher(outputs.normalTable()).find(), () -> outputs.tool() + " -oN:\n" + outputs.normalTable());
        assertTrue(Pattern.compile("[ \t]" + port + "/" + state + "/tcp/////(,|$)")
                .matcher(outputs.grepablePorts()).find(), () -> outputs.tool() + " -oG: " + outputs.grepablePorts());
    }

    /** How a listed port looks: the table's name with nmap's "table" method in -oX, the name in -oG and -oN. */
    private static void assertListed(Outputs outputs, int port, String state, String name) {
        assertTrue(outputs.xmlText().contains("portid=\"" + port + "\"><state state=\"" + state + "\"")
                && outputs.xmlText().contains("<service name=\"" + name + "\" method=\"table\" conf=\"3\"/></port>"),
                () -> outputs.tool() + " -oX:\n" + outputs.xmlText());
        assertTrue(outputs.grepablePorts().contains(" " + port + "/" + state + "/tcp//" + name + "///"),
                () -> outputs.tool() + " -oG: " + outputs.grepablePorts());
        assertTrue(Pattern.compile("(?m)^" + port + "/tcp +" + state + " +" + name + " ")
                .matcher(outputs.normalTable()).find(), () -> outputs.tool() + " -oN:\n" + outputs.normalTable());
    }

    private static void requireTools() {
        Privileges.require(Commands.installed("nmap") && Commands.installed("ndiff")
                && Commands.installed("xmllint"), "nmap, ndiff and xmllint must be installed");
        ServiceTable services = ServiceTable.system();
        for (int port = FREE_SEARCH_FIRST; port <= FREE_SEARCH_LAST; port++) {
            assertFalse(services.contains(port, "tcp"), "nmap-services lists " + port);
        }
        for (int port : List.of(LAB_OPEN, LAB_CLOSED, LAB_DROPPED, LAB_REJECTED, LAB_OPEN_HIGH)) {
            assertFalse(services.contains(port, "tcp"), "nmap-services lists " + port);
        }
        assertEquals(LISTED_NAME, services.listedName(LISTED_PORT));
    }

    private static synchronized void startLab() {
        if (lab == null) {
            NetnsLab.cleanupLeftovers("ps-unl-");
            lab = NetnsLab.builder().prefix("ps-unl-").subnets("198.18.47.0/24", "2001:db8:47::/64")
                    .plan(LAB_PLAN).start();
        }
    }

    /** A listener on an ephemeral port that nmap-services does not list (most of them are not). */
    private int unlistedListener(InetAddress address) throws IOException {
        ServiceTable services = ServiceTable.system();
        for (int i = 0; i < LISTENER_TRIES; i++) {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(address, 0));
            if (!services.contains(listener.getLocalPort(), "tcp")) {
                listeners.add(listener);
                return listener.getLocalPort();
            }
            listener.close();
        }
        throw new AssertionError("no unlisted ephemeral port in " + LISTENER_TRIES + " tries");
    }

    /** {@code count} unlisted ports nothing listens on now: each can be bound, and is let go at once. */
    private static List<Integer> freeUnlistedPorts(InetAddress address, int count) {
        List<Integer> found = new ArrayList<>();
        for (int port = FREE_SEARCH_FIRST; port <= FREE_SEARCH_LAST && found.size() < count; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(address, port));
                found.add(port);
            } catch (IOException inUse) {
                // taken by another process: try the next one
            }
        }
        assertEquals(count, found.size(), "free ports in " + FREE_SEARCH_FIRST + "-" + FREE_SEARCH_LAST);
        return found;
    }
}
