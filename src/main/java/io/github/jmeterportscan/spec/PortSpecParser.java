package io.github.jmeterportscan.spec;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * nmap's -p grammar (scan_lists.cc getpts): single ports, ranges with open ends ("-100",
 * "60000-", "-"), comma lists, protocol prefixes ("T:", "U:", "S:", "P:"), service names and
 * globs ("http", "http*", "ft?"), and "[...]" for only those ports of a range that have a service
 * entry. Port 0 is included only when written explicitly.
 *
 * <p>We scan TCP only, so like nmap with a TCP-only scan type, ports in U:, S: and P: sections
 * are parsed and validated but left out of the result; {@link Result#otherProtocolPorts} tells
 * the caller they were there.
 */
public final class PortSpecParser {
    static final int TCP = 1;
    static final int UDP = 2;
    static final int SCTP = 4;
    static final int PROT = 8;

    private static final String EXAMPLE = "-100,200-1024,T:3000-4000,U:60000-";

    private final ServiceTable services;

    /** Parsed port specification: the TCP ports, plus what else nmap would have noticed. */
    public record Result(PortSet tcp, int otherProtocolPorts, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    public PortSpecParser(ServiceTable services) {
        this.services = services;
    }

    /**
     * Parses a -p (or --exclude-ports) value.
     *
     * @throws ScanSpecException with nmap's message for malformed input or an empty result
     */
    public Result parse(String expr) throws ScanSpecException {
        State state = new State(expr);
        parseList(state, 0, false, TCP);
        int others = state.udp.cardinality() + state.sctp.cardinality() + state.prot.cardinality();
        if (state.tcp.isEmpty() && others == 0) {
            throw new ScanSpecException(
                    "No ports specified -- If you really don't want to scan any ports use ping scan...");
        }
        return new Result(PortSet.fromBits(state.tcp), others, state.warnings);
    }

    private static final class State {
        final String s;
        final BitSet tcp = new BitSet();
        final BitSet udp = new BitSet();
        final BitSet sctp = new BitSet();
        final BitSet prot = new BitSet();
        final List<String> warnings = new ArrayList<>();
        boolean warnedDuplicate;

        State(String s) {
            this.s = s;
        }

        char at(int i) {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        BitSet table(int type) {
            switch (type) {
                case TCP:
                    return tcp;
                case UDP:
                    return udp;
                case SCTP:
                    return sctp;
                default:
                    return prot;
            }
        }
    }

    /** Parses from {@code pos}; returns the index where a nested list stopped (at ']' or end). */
    private int parseList(State st, int pos, boolean nested, int rangeType) throws ScanSpecException {
        int cur = pos;
        do {
            while (CNumberConversions.isSpace(st.at(cur))) {
                cur++; // nmap tolerates blanks here
            }
            char c = st.at(cur);
            if (c != '\0' && st.at(cur + 1) == ':') {
                switch (c) {
                    case 'T':
                        rangeType = TCP;
                        break;
                    case 'U':
                        rangeType = UDP;
                        break;
                    case 'S':
                        rangeType = SCTP;
                        break;
                    case 'P':
                        rangeType = PROT;
                        break;
                    default:
                        throw new ScanSpecException(
                                "Error parsing port list: Unknown protocol specifier '" + c + "'.");
                }
                cur += 2;
                continue;
            }
            long start;
            if (c == '[') {
                if (nested) {
                    throw new ScanSpecException("Can't nest [] brackets in port/protocol specification");
                }
                cur = parseList(st, cur + 1, true, rangeType);
                while (st.at(cur) != ']' && st.at(cur) != '\0') {
                    cur++;
                }
                if (st.at(cur) == ']') {
                    cur++;
                }
                if (st.at(cur) == ',') {
                    cur++;
                }
                continue;
            } else if (c == ']') {
                if (!nested) {
                    throw new ScanSpecException("Unexpected ] character in port/protocol specification");
                }
                return cur;
            } else if (c == '-') {
                start = rangeType == PROT ? 0 : 1;
            } else if (CNumberConversions.isDigit(c)) {
                CNumberConversions.LongPrefix n = CNumberConversions.strtol(st.s, cur);
                start = n.value();
                checkBound(start, rangeType);
                cur = n.end();
                while (CNumberConversions.isSpace(st.at(cur))) {
                    cur++;
                }
            } else if (Character.isLowerCase(c) && c < 128 || c == '*' || c == '?') {
                StringBuilder mask = new StringBuilder();
                while (st.at(cur) != '\0' && !CNumberConversions.isSpace(st.at(cur)) && st.at(cur) != ','
                        && st.at(cur) != ']') {
                    mask.append(st.at(cur++));
                    if (mask.length() >= 127) {
                        throw new ScanSpecException(
                                "A service mask in the port/protocol specification is either malformed or too long");
                    }
                }
                if (st.at(cur) != '\0' && st.at(cur) != ']') {
                    cur++; // a following ']' ends the nested list on the next pass
                }
                if (addMask(st, mask.toString(), rangeType) == 0) {
                    throw new ScanSpecException("Found no matches for the service mask '" + mask
                            + "' and your specified protocols");
                }
                continue;
            } else {
                throw illegal(485);
            }

            long end;
            char after = st.at(cur);
            if (after == '\0' || after == ',' || after == ']') {
                end = start;
            } else if (after == '-') {
                cur++;
                char next = st.at(cur);
                if (next == '\0' || next == ',' || next == ']') {
                    end = rangeType == PROT ? 255 : PortSet.MAX_PORT;
                } else if (CNumberConversions.isDigit(next)) {
                    CNumberConversions.LongPrefix n = CNumberConversions.strtol(st.s, cur);
                    end = n.value();
                    checkBound(end, rangeType);
                    cur = n.end();
                } else {
                    throw illegal(486);
                }
                if (end < start) {
                    String what = rangeType == PROT ? "protocol" : "port";
                    throw new ScanSpecException("Your " + what + " range " + start + "-" + end
                            + " is backwards. Did you mean " + end + "-" + start + "?");
                }
            } else {
                throw illegal(487);
            }
            addRange(st, (int) start, (int) end, nested, rangeType);

            while (CNumberConversions.isSpace(st.at(cur))) {
                cur++;
            }
            if (st.at(cur) == ']') {
                if (!nested) {
                    throw new ScanSpecException("Unexpected ] character in port/protocol specification");
                }
                return cur;
            }
            if (st.at(cur) != '\0' && st.at(cur) != ',') {
                throw illegal(488);
            }
            if (st.at(cur) == ',') {
                cur++;
            }
        } while (st.at(cur) != '\0');
        return cur;
    }

    private static void checkBound(long value, int rangeType) throws ScanSpecException {
        if (rangeType == PROT) {
            if (value < 0 || value > 255) {
                throw new ScanSpecException("Protocols specified must be between 0 and 255 inclusive");
            }
        } else if (value < 0 || value > PortSet.MAX_PORT) {
            throw new ScanSpecException("Ports specified must be between 0 and 65535 inclusive");
        }
    }

    private static ScanSpecException illegal(int code) {
        return new ScanSpecException("Error #" + code
                + ": Your port specifications are illegal.  Example of proper form: \"" + EXAMPLE + "\"");
    }

    private void addRange(State st, int start, int end, boolean nested, int rangeType) {
        BitSet table = st.table(rangeType);
        for (int p = start; p <= end; p++) {
            if (table.get(p)) {
                if (!st.warnedDuplicate) {
                    st.warnings.add("WARNING: Duplicate port number(s) specified.  Are you alert enough to be "
                            + "using Nmap?  Have some coffee or Jolt(tm).");
                    st.warnedDuplicate = true;
                }
            } else if (!nested || hasService(p, rangeType)) {
                table.set(p);
            }
        }
    }

    private boolean hasService(int port, int rangeType) {
        switch (rangeType) {
            case TCP:
                return services.contains(port, "tcp");
            case UDP:
                return services.contains(port, "udp");
            case SCTP:
                return services.contains(port, "sctp");
            default:
                // We keep no IP protocol table; P: sections are ignored by a TCP scanner anyway.
                return true;
        }
    }

    private int addMask(State st, String mask, int rangeType) {
        String protocol;
        switch (rangeType) {
            case TCP:
                protocol = "tcp";
                break;
            case UDP:
                protocol = "udp";
                break;
            case SCTP:
                protocol = "sctp";
                break;
            default:
                // IP protocol names (nmap-protocols) are not loaded: accept the mask, as it can only
                // name protocols a TCP port scan ignores.
                return 1;
        }
        BitSet matched = services.portsMatching(mask, protocol);
        st.table(rangeType).or(matched);
        return matched.cardinality();
    }
}
