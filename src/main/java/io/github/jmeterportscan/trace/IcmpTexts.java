package io.github.jmeterportscan.trace;

/** Names of ICMP and ICMPv6 messages as nmap and Wireshark print them. */
final class IcmpTexts {
    private IcmpTexts() {
    }

    /** nmap's wording for ICMPv4 messages that need no quoted address. */
    static String nmapName(int type, int code) {
        return switch (type) {
            case 0 -> "Echo reply";
            case 3 -> switch (code) {
                case 4 -> "Fragmentation required";
                case 5 -> "Source route failed";
                case 8 -> "Source host isolated";
                case 13 -> "Communication administratively prohibited by filtering";
                case 14 -> "Host precedence violation";
                case 15 -> "Precedence cutoff in effect";
                default -> "Destination unreachable (unknown code)";
            };
            case 4 -> "Source quench";
            case 8 -> "Echo request";
            case 11 -> code == 0 ? "TTL=0 during transit" : code == 1 ? "TTL=0 during reassembly"
                    : "TTL exceeded (unknown code)";
            default -> "Unknown type";
        };
    }

    /** Wireshark's Info column for an ICMP (v4) message: "Destination unreachable (Port unreachable)". */
    static String wiresharkIcmp(int type, int code) {
        return switch (type) {
            case 0 -> "Echo (ping) reply";
            case 3 -> "Destination unreachable (" + switch (code) {
                case 0 -> "Network unreachable";
                case 1 -> "Host unreachable";
                case 2 -> "Protocol unreachable";
                case 3 -> "Port unreachable";
                case 4 -> "Fragmentation needed";
                case 5 -> "Source route failed";
                case 6 -> "Destination network unknown";
                case 7 -> "Destination host unknown";
                case 8 -> "Source host isolated";
                case 9 -> "Network administratively prohibited";
                case 10 -> "Host administratively prohibited";
                case 11 -> "Network unreachable for TOS";
                case 12 -> "Host unreachable for TOS";
                case 13 -> "Communication administratively filtered";
                case 14 -> "Host precedence violation";
                case 15 -> "Precedence cutoff in effect";
                default -> "Unknown code: " + code;
            } + ")";
            case 8 -> "Echo (ping) request";
            case 11 -> "Time-to-live exceeded (" + (code == 0 ? "Time to live exceeded in transit"
                    : code == 1 ? "Fragment reassembly time exceeded" : "Unknown code: " + code) + ")";
            default -> "Type " + type + ", code " + code;
        };
    }

    /** Wireshark's Info column for an ICMPv6 message. */
    static String wiresharkIcmpv6(int type, int code) {
        return switch (type) {
            case 1 -> "Destination Unreachable (" + switch (code) {
                case 0 -> "no route to destination";
                case 1 -> "communication with destination administratively prohibited";
                case 2 -> "beyond scope of source address";
                case 3 -> "Address unreachable";
                case 4 -> "Port unreachable";
                case 5 -> "source address failed ingress/egress policy";
                case 6 -> "reject route to destination";
                default -> "Unknown code: " + code;
            } + ")";
            case 2 -> "Packet Too Big";
            case 3 -> "Time Exceeded (" + (code == 0 ? "hop limit exceeded in transit"
                    : code == 1 ? "fragment reassembly time exceeded" : "Unknown code: " + code) + ")";
            case 4 -> "Parameter Problem";
            default -> "Type " + type + ", code " + code;
        };
    }
}
