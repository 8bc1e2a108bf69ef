package io.github.jmeterportscan.result;

/** A port's state, spelled exactly as nmap prints it. */
public enum PortState {
    OPEN("open"),
    CLOSED("closed"),
    FILTERED("filtered"),
    UNFILTERED("unfiltered"),
    OPEN_FILTERED("open|filtered"),
    CLOSED_FILTERED("closed|filtered");

    private final String nmapName;

    PortState(String nmapName) {
        this.nmapName = nmapName;
    }

    /** The word nmap uses in its normal, grepable and XML output. */
    public String nmapName() {
        return nmapName;
    }

    /** Parses nmap's spelling ("open", "closed|filtered", ...); case-insensitive. */
    public static PortState fromNmapName(String name) {
        for (PortState state : values()) {
            if (state.nmapName.equalsIgnoreCase(name.trim())) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown port state \"" + name + "\"");
    }

    @Override
    public String toString() {
        return nmapName;
    }
}
