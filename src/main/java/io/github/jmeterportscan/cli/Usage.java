package io.github.jmeterportscan.cli;

/** The -h text: nmap's option names, limited to what this scanner does. */
final class Usage {
    private Usage() {
    }

    static String text(String program) {
        return """
                Usage: %1$s [Scan Type] [Options] {target specification}
                An nmap-compatible TCP port scanner (SYN, connect and ACK scans).
                TARGET SPECIFICATION:
                  Can pass hostnames, IP addresses, networks, etc.
                  Ex: localhost, 127.0.0.1, 198.18.0.0/28, 198.18.0-1.1-20, 2001:db8::/124 (with -6)
                  -iL <inputfilename>: Input from list of hosts/networks
                  --exclude <host1[,host2][,host3],...>: Exclude hosts/networks
                  --excludefile <exclude_file>: Exclude list from file
                  --scope <net1[,net2],...>: Only these networks may be probed (CIDR or address,
                     IPv4 and IPv6): a target outside them refuses the scan
                HOST DISCOVERY:
                  -sn: Ping Scan - disable port scan
                  -Pn: Treat all hosts as online -- skip host discovery
                  -PS/PA[portlist]: TCP SYN/ACK discovery to given ports
                  -PE/PP: ICMP echo and timestamp request discovery probes
                  --disable-arp-ping: No ARP or ND Ping
                  -n/-R: Never do DNS resolution/Always resolve (reverse DNS is never done)
                SCAN TECHNIQUES:
                  -sS/-sT/-sA: TCP SYN/Connect()/ACK scan (default: SYN when raw access works,
                               otherwise connect, and the output says so)
                PORT SPECIFICATION AND SCAN ORDER:
                  -p <port ranges>: Only scan specified ports
                    Ex: -p22; -p1-65535; -p-; -p T:80,443; -p http*; -p [1-1024]
                  --exclude-ports <port ranges>: Exclude the specified ports from scanning
                  -F: Fast mode - Scan fewer ports than the default scan
                  -r: Scan ports sequentially - don't randomize
                  --top-ports <number>: Scan <number> most common ports
                TIMING AND PERFORMANCE:
                  Options which take <time> are in seconds, or append 'ms' (milliseconds),
                  's' (seconds), 'm' (minutes), or 'h' (hours) to the value (e.g. 30m).
                  -T<0-5>: Set timing template (higher is faster)
                  --min-rtt-timeout/max-rtt-timeout/initial-rtt-timeout <time>: Specifies
                      probe round trip time.
                  --max-retries <tries>: Caps number of port scan probe retransmissions.
                  --host-timeout <time>: Give up on target after this long
                  --scan-delay/--max-scan-delay <time>: Adjust delay between probes
                  --min-rate <number>: Send packets no slower than <number> per second
                  --max-rate <number>: Send packets no faster than <number> per second
                FIREWALL/IDS EVASION AND SPOOFING:
                  -e <iface>: Use specified interface
                  -g/--source-port <portnum>: Use given port number
                OUTPUT:
                  -oN/-oX/-oG <file>: Output scan in normal, XML, and Grepable format,
                     respectively, to the given filename ("-" for stdout).
                  -oA <basename>: Output in the three major formats at once
                  -v: Increase verbosity level (use -vv or more for greater effect)
                  --reason: Display the reason a port is in a particular state
                  --open: Only show open (or possibly open) ports
                  --packet-trace: Show all packets sent and received
                  --pcap <file>: Write the packets sent and received to a pcap file
                MISC:
                  -6: Enable IPv6 scanning
                  -V: Print version number
                  -h: Print this help summary page.
                EXAMPLES:
                  %1$s -sS -Pn -n -p- --reason -oX out.xml 127.0.0.1
                  %1$s -sT -p 22,80,443 -T4 localhost
                """.formatted(program);
    }
}
