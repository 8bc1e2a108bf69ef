package io.github.jmeterportscan.spec;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Forward name resolution for target and exclude expressions. The default is the JVM's resolver
 * (which honours -Djdk.net.hosts.file); the JMeter sampler or tests may supply another.
 */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    /** All addresses of the name, in the resolver's order. */
    InetAddress[] resolve(String name) throws UnknownHostException;

    /**
     * Whether the text may be a host name. getaddrinfo, which nmap uses, refuses the others
     * outright; Java would take some of them ("" is the local host, "[::1]" a literal) or ask a
     * name server about them.
     */
    static boolean mayBeName(String text) {
        return !text.isEmpty() && text.indexOf('[') < 0 && text.indexOf(']') < 0 && text.indexOf(':') < 0
                && text.indexOf(' ') < 0;
    }
}
