package io.github.jmeterportscan.result;

/**
 * Why a port or a host got its state: nmap's reason codes (reason.cc), with its singular and plural
 * spellings. The plural appears in normal output ("Not shown: 997 closed tcp ports (resets)" in
 * older releases); nmap 7.93 prints the singular in most places.
 */
public enum Reason {
    SYN_ACK("syn-ack", "syn-acks"),
    RESET("reset", "resets"),
    CONN_REFUSED("conn-refused", "conn-refused"),
    SPLIT_HANDSHAKE_SYN("split-handshake-syn", "split-handshake-syns"),
    NO_RESPONSE("no-response", "no-responses"),
    NET_UNREACH("net-unreach", "net-unreaches"),
    HOST_UNREACH("host-unreach", "host-unreaches"),
    PROTO_UNREACH("proto-unreach", "proto-unreaches"),
    PORT_UNREACH("port-unreach", "port-unreaches"),
    DEST_UNREACH("dest-unreach", "dest-unreaches"),
    NET_PROHIBITED("net-prohibited", "net-prohibiteds"),
    HOST_PROHIBITED("host-prohibited", "host-prohibiteds"),
    ADMIN_PROHIBITED("admin-prohibited", "admin-prohibiteds"),
    TIME_EXCEEDED("time-exceeded", "time-exceededs"),
    NO_ROUTE("no-route", "no-routes"),
    BEYOND_SCOPE("beyond-scope", "beyond-scopes"),
    REJECT_ROUTE("reject-route", "reject-routes"),
    PARAM_PROBLEM("param-problem", "param-problems"),
    PERM_DENIED("perm-denied", "perm-denieds"),
    USER_SET("user-set", "user-sets"),
    ARP_RESPONSE("arp-response", "arp-responses"),
    ND_RESPONSE("nd-response", "nd-responses"),
    ECHO_REPLY("echo-reply", "echo-replies"),
    TIMESTAMP_REPLY("timestamp-reply", "timestamp-replies"),
    LOCALHOST_RESPONSE("localhost-response", "localhost-responses"),
    UNKNOWN("unknown-response", "unknown-responses");

    private final String nmapName;
    private final String plural;

    Reason(String nmapName, String plural) {
        this.nmapName = nmapName;
        this.plural = plural;
    }

    public String nmapName() {
        return nmapName;
    }

    public String plural() {
        return plural;
    }

    public static Reason fromNmapName(String name) {
        for (Reason reason : values()) {
            if (reason.nmapName.equalsIgnoreCase(name.trim())) {
                return reason;
            }
        }
        throw new IllegalArgumentException("Unknown reason \"" + name + "\"");
    }

    @Override
    public String toString() {
        return nmapName;
    }
}
