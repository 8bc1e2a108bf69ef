package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.spec.PortSpecParser;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The port states of an earlier scan, read from nmap XML (written by nmap -oX or by this
 * scanner): a firewall's known-good picture, against which {@link PortStateAssertion} checks a
 * new scan as ndiff would compare them. Ports listed one by one keep their state; ports folded into
 * {@code <extraports>} get its state when nmap listed them ({@code <extrareasons ports="...">},
 * nmap 7.90 and later). Ports and hosts the baseline does not mention carry no expectation.
 */
final class Baseline {
    static final Baseline NONE = new Baseline(Map.of());

    /** Parsed files, reread when their size or modification time change (200 threads, one parse). */
    private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(long modified, long size, Baseline baseline) {
    }

    private final Map<InetAddress, Map<Integer, PortState>> hosts;

    private Baseline(Map<InetAddress, Map<Integer, PortState>> hosts) {
        this.hosts = hosts;
    }

    static Baseline read(Path file, ServiceTable services) throws ScanSpecException {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            long size = Files.size(file);
            Cached cached = CACHE.get(file);
            if (cached != null && cached.modified == modified && cached.size == size) {
                return cached.baseline;
            }
            Baseline baseline = parse(file, services);
            CACHE.put(file, new Cached(modified, size, baseline));
            return baseline;
        } catch (IOException e) {
            throw new ScanSpecException("Cannot read the baseline nmap XML " + file + ": " + e.getMessage());
        }
    }

    private static Baseline parse(Path file, ServiceTable services) throws IOException, ScanSpecException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // nmap's DOCTYPE names no DTD file: fetch nothing, expand no external entity. Inside
            // JMeter the factory may be an older Xerces, so each setting is applied if known.
            secure(factory, XMLConstants.FEATURE_SECURE_PROCESSING, true);
            secure(factory, "http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            secure(factory, "http://xml.org/sax/features/external-general-entities", false);
            secure(factory, "http://xml.org/sax/features/external-parameter-entities", false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new ScanSpecException("The baseline " + file + " is not nmap XML: " + e.getMessage());
        }
        if (!"nmaprun".equals(doc.getDocumentElement().getTagName())) {
            throw new ScanSpecException("The baseline " + file + " is not nmap XML (no <nmaprun>)");
        }
        PortSpecParser portParser = new PortSpecParser(services);
        Map<InetAddress, Map<Integer, PortState>> hosts = new HashMap<>();
        NodeList hostNodes = doc.getElementsByTagName("host");
        for (int h = 0; h < hostNodes.getLength(); h++) {
            Element host = (Element) hostNodes.item(h);
            Optional<InetAddress> address = address(host);
            if (address.isEmpty()) {
                continue;
            }
            Map<Integer, PortState> ports = hosts.computeIfAbsent(address.get(), a -> new HashMap<>());
            readExtraPorts(host, ports, portParser);
            NodeList portNodes = host.getElementsByTagName("port");
            for (int p = 0; p < portNodes.getLength(); p++) {
                Element port = (Element) portNodes.item(p);
                Element state = first(port, "state");
                if (!"tcp".equals(port.getAttribute("protocol")) || state == null) {
                    continue;
                }
                try {
                    ports.put(Integer.parseInt(port.getAttribute("portid")),
                            PortState.fromNmapName(state.getAttribute("state")));
                } catch (IllegalArgumentException e) {
                    throw new ScanSpecException("The baseline " + file + " has an unreadable port: " + e.getMessage());
                }
            }
        }
        return new Baseline(hosts);
    }

    private static void secure(DocumentBuilderFactory factory, String feature, boolean value) {
        try {
            factory.setFeature(feature, value);
        } catch (ParserConfigurationException | RuntimeException e) {
            // Unknown to this parser; the other settings still apply.
        }
    }

    private static void readExtraPorts(Element host, Map<Integer, PortState> ports, PortSpecParser parser)
            throws ScanSpecException {
        NodeList extras = host.getElementsByTagName("extraports");
        for (int e = 0; e < extras.getLength(); e++) {
            Element extra = (Element) extras.item(e);
            PortState state;
            try {
                state = PortState.fromNmapName(extra.getAttribute("state"));
            } catch (IllegalArgumentException ex) {
                continue;
            }
            NodeList reasons = extra.getElementsByTagName("extrareasons");
            for (int r = 0; r < reasons.getLength(); r++) {
                Element reason = (Element) reasons.item(r);
                String list = reason.getAttribute("ports");
                if (list.isEmpty() || !(reason.getAttribute("proto").isEmpty() || "tcp".equals(reason.getAttribute("proto")))) {
                    continue;
                }
                parser.parse(list).tcp().stream().forEach(port -> ports.put(port, state));
            }
        }
    }

    private static Optional<InetAddress> address(Element host) {
        NodeList addresses = host.getElementsByTagName("address");
        for (int a = 0; a < addresses.getLength(); a++) {
            Element address = (Element) addresses.item(a);
            String type = address.getAttribute("addrtype");
            if (type.equals("ipv4") || type.equals("ipv6")) {
                return literal(address.getAttribute("addr"));
            }
        }
        return Optional.empty();
    }

    /** Parses an address literal; never a name lookup (literals only reach getByName). */
    static Optional<InetAddress> literal(String text) {
        // Only dotted-quad or colon forms reach getByName, so it never turns into a DNS lookup.
        if (!(text.matches("\\d{1,3}(\\.\\d{1,3}){3}") || text.matches("[0-9A-Fa-f:.%a-zA-Z]*:[0-9A-Fa-f:.%a-zA-Z]*"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Element first(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    /** The state the baseline recorded for {@code port} on {@code host}, if it recorded one. */
    Optional<ExpectedStates> expectationFor(String host, int port) {
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        return literal(host).map(hosts::get).map(ports -> ports.get(port))
                .map(state -> new ExpectedStates(EnumSet.of(state)));
    }
}
