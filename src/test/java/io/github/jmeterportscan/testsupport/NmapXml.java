package io.github.jmeterportscan.testsupport;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads nmap's XML output (nmap 7.93, xmloutputversion 1.05) — from nmap itself or from our own
 * scanner — into {@link NmapRun}. Ports that nmap collapsed into {@code <extraports>} are expanded
 * back into single ports, so two files can be compared port by port whatever was collapsed:
 * nmap 7.93 lists them in {@code <extrareasons ports="...">}; for writers that leave the list out,
 * the one group without a list gets every scanned port (from {@code <scaninfo services>}) that is
 * listed nowhere else.
 */
public final class NmapXml {
    private NmapXml() {
    }

    public static NmapRun parse(Path file) {
        Document document;
        try {
            document = newBuilder().parse(file.toFile());
        } catch (SAXException | IOException e) {
            throw new NmapXmlException("cannot read nmap XML " + file + ": " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        if (!root.getTagName().equals("nmaprun")) {
            throw new NmapXmlException(file + " is not an nmap XML file: root element <" + root.getTagName() + ">");
        }
        List<NmapRun.ScanInfo> scanInfos = new ArrayList<>();
        for (Element info : children(root, "scaninfo")) {
            scanInfos.add(new NmapRun.ScanInfo(info.getAttribute("type"), info.getAttribute("protocol"),
                    intAttribute(info, "numservices", 0), info.getAttribute("services")));
        }
        List<NmapHost> hosts = new ArrayList<>();
        for (Element host : children(root, "host")) {
            hosts.add(host(host, scanInfos, file));
        }
        String exit = "";
        String errorMsg = "";
        double elapsed = 0;
        Optional<Element> finished = child(root, "runstats").flatMap(r -> child(r, "finished"));
        if (finished.isPresent()) {
            exit = finished.get().getAttribute("exit");
            errorMsg = finished.get().getAttribute("errormsg");
            elapsed = doubleAttribute(finished.get(), "elapsed");
        }
        return new NmapRun(root.getAttribute("scanner"), root.getAttribute("version"), root.getAttribute("args"),
                scanInfos, hosts, exit, errorMsg, longAttribute(root, "start"), elapsed);
    }

    private static NmapHost host(Element host, List<NmapRun.ScanInfo> scanInfos, Path file) {
        String address = null;
        String addressType = null;
        String mac = null;
        for (Element a : children(host, "address")) {
            String type = a.getAttribute("addrtype");
            if (type.equals("mac")) {
                mac = a.getAttribute("addr");
            } else if (address == null) {
                address = a.getAttribute("addr");
                addressType = type;
            }
        }
        if (address == null) {
            throw new NmapXmlException(file + ": a <host> without an IP address");
        }
        Element status = child(host, "status").orElse(null);
        List<NmapPort> ports = new ArrayList<>();
        Optional<Element> portsElement = child(host, "ports");
        if (portsElement.isPresent()) {
            ports.addAll(ports(portsElement.get(), scanInfos, address, file));
        }
        ports.sort(Comparator.comparing(NmapPort::protocol).thenComparingInt(NmapPort::port));
        Optional<String> userHostname = child(host, "hostnames").stream()
                .flatMap(names -> children(names, "hostname").stream())
                .filter(name -> name.getAttribute("type").equals("user"))
                .map(name -> name.getAttribute("name")).reduce((first, last) -> last);
        Optional<NmapHost.Times> times = child(host, "times").map(t -> new NmapHost.Times(
                longAttribute(t, "srtt"), longAttribute(t, "rttvar"), longAttribute(t, "to")));
        return new NmapHost(address, addressType, Optional.ofNullable(mac),
                status == null ? "" : status.getAttribute("state"),
                status == null ? "" : status.getAttribute("reason"), ports, userHostname,
                longAttribute(host, "starttime"), longAttribute(host, "endtime"),
                host.getAttribute("timedout").equals("true"), times);
    }

    private static List<NmapPort> ports(Element portsElement, List<NmapRun.ScanInfo> scanInfos, String address,
            Path file) {
        Map<String, NmapPort> byKey = new TreeMap<>();
        for (Element port : children(portsElement, "port")) {
            Element state = child(port, "state").orElseThrow(
                    () -> new NmapXmlException(file + ": host " + address + " has a <port> without <state>"));
            int number = intAttribute(port, "portid", -1);
            String protocol = port.getAttribute("protocol");
            byKey.put(protocol + "/" + number, new NmapPort(number, protocol, state(state.getAttribute("state"), file),
                    reason(state.getAttribute("reason"), file), intAttribute(state, "reason_ttl", 0), false));
        }
        List<Element[]> unlisted = new ArrayList<>();
        for (Element extra : children(portsElement, "extraports")) {
            PortState state = state(extra.getAttribute("state"), file);
            for (Element reasons : children(extra, "extrareasons")) {
                if (!reasons.hasAttribute("ports")) {
                    unlisted.add(new Element[] {extra, reasons});
                    continue;
                }
                String protocol = reasons.hasAttribute("proto") ? reasons.getAttribute("proto") : "tcp";
                Reason reason = reason(reasons.getAttribute("reason"), file);
                for (int number : expandPortList(reasons.getAttribute("ports"), file)) {
                    byKey.put(protocol + "/" + number, new NmapPort(number, protocol, state, reason, 0, true));
                }
            }
        }
        if (unlisted.size() > 1) {
            throw new NmapXmlException(file + ": host " + address + " has " + unlisted.size()
                    + " <extrareasons> without a port list; cannot tell which ports each one covers");
        }
        if (unlisted.size() == 1) {
            Element extra = unlisted.get(0)[0];
            Element reasons = unlisted.get(0)[1];
            String protocol = reasons.hasAttribute("proto") ? reasons.getAttribute("proto") : "tcp";
            NmapRun.ScanInfo info = scanInfos.stream().filter(s -> s.protocol().equals(protocol)).findFirst()
                    .orElseThrow(() -> new NmapXmlException(file + ": no <scaninfo> for protocol " + protocol
                            + " to expand <extraports> from"));
            List<NmapPort> rest = new ArrayList<>();
            for (int number : expandPortList(info.services(), file)) {
                if (!byKey.containsKey(protocol + "/" + number)) {
                    rest.add(new NmapPort(number, protocol, state(extra.getAttribute("state"), file),
                            reason(reasons.getAttribute("reason"), file), 0, true));
                }
            }
            int count = intAttribute(reasons, "count", rest.size());
            if (count != rest.size()) {
                throw new NmapXmlException(file + ": host " + address + " <extrareasons> counts " + count
                        + " ports but " + rest.size() + " scanned ports are unaccounted for");
            }
            rest.forEach(p -> byKey.put(protocol + "/" + p.port(), p));
        }
        return new ArrayList<>(byKey.values());
    }

    /** Expands nmap's port list syntax ("1-21,23,80-90"). */
    static SortedSet<Integer> expandPortList(String list, Path file) {
        SortedSet<Integer> ports = new TreeSet<>();
        if (list.isBlank()) {
            return ports;
        }
        for (String part : list.split(",")) {
            String range = part.strip();
            try {
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                if (from < 0 || to > 65535 || from > to) {
                    throw new NumberFormatException("bad range");
                }
                for (int p = from; p <= to; p++) {
                    ports.add(p);
                }
            } catch (NumberFormatException e) {
                throw new NmapXmlException(file + ": bad port list \"" + list + "\" at \"" + range + "\"", e);
            }
        }
        return ports;
    }

    private static PortState state(String text, Path file) {
        try {
            return PortState.fromNmapName(text);
        } catch (IllegalArgumentException e) {
            throw new NmapXmlException(file + ": unknown port state \"" + text + "\"", e);
        }
    }

    /** nmap writes the singular; older writers used the plural in summaries, so both are read. */
    private static Reason reason(String text, Path file) {
        for (Reason reason : Reason.values()) {
            if (reason.nmapName().equalsIgnoreCase(text) || reason.plural().equalsIgnoreCase(text)) {
                return reason;
            }
        }
        throw new NmapXmlException(file + ": unknown reason \"" + text + "\"");
    }

    private static int intAttribute(Element element, String name, int fallback) {
        return number(element, name, fallback, Integer::parseInt);
    }

    /** A number of seconds or microseconds; 0 when the attribute is missing. */
    private static long longAttribute(Element element, String name) {
        return number(element, name, 0L, Long::parseLong);
    }

    private static double doubleAttribute(Element element, String name) {
        return number(element, name, 0.0, Double::parseDouble);
    }

    private static <T> T number(Element element, String name, T ifMissing, Function<String, T> parse) {
        String value = element.getAttribute(name);
        if (value.isEmpty()) {
            return ifMissing;
        }
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new NmapXmlException("attribute " + name + "=\"" + value + "\" of <" + element.getTagName()
                    + "> is not a number", e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // nmap declares <!DOCTYPE nmaprun> without a DTD location; never fetch or expand anything external
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // the default handler prints to stderr before throwing; the exception alone is enough
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }
}
