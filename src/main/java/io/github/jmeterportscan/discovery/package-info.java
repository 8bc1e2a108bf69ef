/**
 * Host discovery as nmap does it before a port scan: ARP or neighbor solicitation on a directly
 * connected Ethernet network, ICMP echo and timestamp requests and TCP SYN and ACK probes beyond
 * it, TCP connects without raw access. {@link io.github.jmeterportscan.discovery.Pinger} is the
 * transport contract (one implementation per method), {@link
 * io.github.jmeterportscan.discovery.PingRounds} holds all timing and retry rules, and {@link
 * io.github.jmeterportscan.discovery.DiscoveringScan} runs discovery and then the port scan of the
 * hosts found up.
 */
package io.github.jmeterportscan.discovery;
