package io.github.jmeterportscan.result;

/**
 * The RTT figures nmap reports per host in XML ({@code <times srtt rttvar to>}), in microseconds.
 */
public record HostTimes(long srttMicros, long rttvarMicros, long timeoutMicros) {
    public static final HostTimes UNKNOWN = new HostTimes(-1, -1, -1);

    public boolean isKnown() {
        return srttMicros >= 0;
    }
}
