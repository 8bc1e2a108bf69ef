package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads real nmap XML back into a ScanReport, so our writers can be run on exactly the results
 * nmap printed. Ports summarised in {@code <extrareasons>} come back with TTL 0 (nmap does not
 * record theirs); the writers never print a summarised port's TTL.
 */
final class NmapXmlReader {
    private NmapXmlReader() {
    }

    /** The {@code services} of nmap's scaninfo: the ports it was asked to scan. */
    static PortSet scannedPorts(Path xml) throws Exception {
        Element scaninfo = (Element) parse(xml).getElementsByTagName("scaninfo").item(0);
        return PortSet.parseRanges(scaninfo.getAttribute("services"));
    }

    /**
     * @param xml            nmap's -oX file
     * @param requestForPorts builds the request once the scanned ports are known
     */
    static ScanReport read(Path xml, Function<PortSet, ScanRequest> requestForPorts) throws Exception {
        Document doc = parse(xml);
        Element root = doc.getDocumentElement();
        Element scaninfo = (Element) root.getElementsByTagName("scaninfo").item(0);
        ScanType type = switch (scaninfo.getAttribute("type")) {
            case "syn" -> ScanType.SYN;
            case "connect" -> ScanType.CONNECT;
            case "ack" -> ScanType.ACK;
            default -> throw new IllegalArgumentException("scan type " + scaninfo.getAttribute("type"));
        };
        ScanRequest request = requestForPorts.apply(PortSet.parseRanges(scaninfo.getAttribute("services")));
        long start = Long.parseLong(root.getAttribute("start")) * 1000;
        Element finished = (Element) root.getElementsByTagName("finished").item(0);
        // Keep nmap's elapsed figure exact; its own start and end clocks differ from the XML's
        // whole-second timestamps.
        long end = start + Math.round(Double.parseDouble(finished.getAttribute("elapsed")) * 1000);

        List<HostResult> hosts = new ArrayList<>();
        NodeList hostNodes = root.getElementsByTagName("host");
        for (int i = 0; i < hostNodes.getLength(); i++) {
            hosts.add(readHost((Element) hostNodes.item(i)));
        }
        return new ScanReport(request, type, List.of(), hosts, start, end);
    }

    private static HostResult readHost(Element host) throws Exception {
        Element address = (Element) host.getElementsByTagName("address").item(0);
        Optional<String> userName = Optional.empty();
        NodeList names = host.getElementsByTagName("hostname");
        for (int i = 0; i < names.getLength(); i++) {
            Element name = (Element) names.item(i);
            if ("user".equals(name.getAttribute("type"))) {
                userName = Optional.of(name.getAttribute("name"));
            }
        }
        Target target = new Target(InetAddress.getByName(address.getAttribute("addr")), userName);

        List<PortResult> ports = new ArrayList<>();
        NodeList extraports = host.getElementsByTagName("extraports");
        for (int i = 0; i < extraports.getLength(); i++) {
            Element extra = (Element) extraports.item(i);
            PortState state = PortState.fromNmapName(extra.getAttribute("state"));
            NodeList reasons = extra.getElementsByTagName("extrareasons");
            for (int j = 0; j < reasons.getLength(); j++) {
                Element reason = (Element) reasons.item(j);
                Reason why = Reason.fromNmapName(reason.getAttribute("reason"));
                PortSet.parseRanges(reason.getAttribute("ports")).stream()
                        .forEach(p -> ports.add(new PortResult(p, state, why, 0, PortResult.NO_RTT)));
            }
        }
        NodeList portNodes = host.getElementsByTagName("port");
        for (int i = 0; i < portNodes.getLength(); i++) {
            Element port = (Element) portNodes.item(i);
            Element state = (Element) port.getElementsByTagName("state").item(0);
            ports.add(new PortResult(Integer.parseInt(port.getAttribute("portid")),
                    PortState.fromNmapName(state.getAttribute("state")),
                    Reason.fromNmapName(state.getAttribute("reason")),
                    Integer.parseInt(state.getAttribute("reason_ttl")), PortResult.NO_RTT));
        }
        ports.sort(Comparator.comparingInt(PortResult::port));

        HostTimes times = HostTimes.UNKNOWN;
        NodeList timesNodes = host.getElementsByTagName("times");
        if (timesNodes.getLength() > 0) {
            Element t = (Element) timesNodes.item(0);
            times = new HostTimes(Long.parseLong(t.getAttribute("srtt")), Long.parseLong(t.getAttribute("rttvar")),
                    Long.parseLong(t.getAttribute("to")));
        }
        return new HostResult(target, ports, Long.parseLong(host.getAttribute("starttime")) * 1000,
                Long.parseLong(host.getAttribute("endtime")) * 1000, "true".equals(host.getAttribute("timedout")),
                times);
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }
}
