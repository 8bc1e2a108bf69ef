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
}
