package io.github.jmeterportscan.testsupport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * A parsed nmap XML file ({@code <nmaprun>}).
 *
 * @param scanner   the {@code scanner} attribute ("nmap", or whatever wrote the file)
 * @param version   the {@code version} attribute
 * @param args      the command line as recorded
 * @param scanInfos one entry per {@code <scaninfo>}
 * @param hosts     the hosts in file order
 * @param exit      {@code runstats/finished/@exit} ("success" or "error"), empty if missing
 * @param errorMsg  {@code runstats/finished/@errormsg}, empty if missing
 * @param start     the {@code start} attribute, in seconds since the epoch; 0 if missing
 * @param elapsed   {@code runstats/finished/@elapsed}, in seconds; 0 if missing
 */
public record NmapRun(String scanner, String version, String args, List<ScanInfo> scanInfos, List<NmapHost> hosts,
        String exit, String errorMsg, long start, double elapsed) {

    /** One {@code <scaninfo type="syn" protocol="tcp" numservices="..." services="..."/>}. */
    public record ScanInfo(String type, String protocol, int numServices, String services) {
    }

    public NmapRun {
        scanInfos = List.copyOf(scanInfos);
        hosts = List.copyOf(hosts);
    }

    /** The host with this address, in any spelling of the literal ("2001:db8::2" or "2001:db8:0:0:0:0:0:2"). */
    public NmapHost host(String address) {
        Objects.requireNonNull(address, "address");
        InetAddress wanted = literal(address);
        return hosts.stream().filter(h -> literal(h.address()).equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + address + " in the XML; hosts: "
                        + hosts.stream().map(NmapHost::address).toList()));
    }

    public NmapHost host(InetAddress address) {
        return host(address.getHostAddress());
    }

    private static InetAddress literal(String address) {
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: " + address);
        }
        try {
            return InetAddress.getByName(address); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + address, e);
        }
    }

    /** The only host; fails if there is not exactly one. */
    public NmapHost onlyHost() {
        if (hosts.size() != 1) {
            throw new IllegalStateException("expected one host in the XML, found " + hosts.size());
        }
        return hosts.get(0);
    }
}
