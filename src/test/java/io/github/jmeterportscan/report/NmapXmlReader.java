package io.github.jmeterportscan.report;

import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.HostTimes;
import io.github.jmeterportscan.result.PortResult;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.PortSet;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.testsupport.NmapHost;
import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapXml;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Turns real nmap XML (read by {@link NmapXml}) into a ScanReport, so our writers can be run on
 * exactly the results nmap printed. Ports summarised in {@code <extrareasons>} come back with TTL 0
 * (nmap does not record theirs); the writers never print a summarised port's TTL.
 */
final class NmapXmlReader {
    private NmapXmlReader() {
    }

    /**
     * @param xml             nmap's -oX file
     * @param requestForPorts builds the request once the scanned ports are known
     */
    static ScanReport read(Path xml, Function<PortSet, ScanRequest> requestForPorts) throws UnknownHostException {
        NmapRun run = NmapXml.parse(xml);
        NmapRun.ScanInfo scanInfo = run.scanInfos().get(0);
        ScanType type = List.of(ScanType.values()).stream().filter(t -> t.xmlName().equals(scanInfo.type()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("scan type " + scanInfo.type()));
        ScanRequest request = requestForPorts.apply(PortSet.parseRanges(scanInfo.services()));
        long start = run.start() * 1000;
        // Keep nmap's elapsed figure exact; its own start and end clocks differ from the XML's
        // whole-second timestamps.
        long end = start + Math.round(run.elapsed() * 1000);
        List<HostResult> hosts = new ArrayList<>();
        for (NmapHost host : run.hosts()) {
            hosts.add(hostResult(host));
        }
        return new ScanReport(request, type, List.of(), hosts, start, end);
    }

    private static HostResult hostResult(NmapHost host) throws UnknownHostException {
        Target target = new Target(InetAddress.getByName(host.address()), host.userHostname());
        List<PortResult> ports = host.ports().stream()
                .map(p -> new PortResult(p.port(), p.state(), p.reason(), p.reasonTtl(), PortResult.NO_RTT))
                .sorted(Comparator.comparingInt(PortResult::port)).toList();
        HostTimes times = host.times().map(t -> new HostTimes(t.srtt(), t.rttvar(), t.to())).orElse(HostTimes.UNKNOWN);
        return new HostResult(target, ports, host.startTime() * 1000, host.endTime() * 1000, host.timedOut(), times);
    }
}
