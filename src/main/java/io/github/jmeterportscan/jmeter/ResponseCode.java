package io.github.jmeterportscan.jmeter;

/**
 * The response codes a sample gets when it does not carry a state summary ("open=2 closed=1"):
 * the codes of a failed sample and of a host that timed out. Plans, assertions and dashboards
 * match these texts, so they never change.
 */
enum ResponseCode {
    /** Bad ports, targets, timing values or expected states; an unknown host; a scope that does not parse. */
    INVALID_SPEC("InvalidSpec"),
    /** A target outside the engine's or the plan's scope, or no target left: nothing was sent. */
    OUT_OF_SCOPE("OutOfScope"),
    /** The scan could not run: no privileges for an explicit -sS/-sA, libpcap missing, interface gone. */
    SCAN_ERROR("ScanError"),
    /** An -oX/-oN/-oG file cannot be written. */
    OUTPUT_ERROR("OutputError"),
    /** JMeter stopped the test or the sample timed out. */
    INTERRUPTED("Interrupted"),
    /** A failure nobody foresaw: a bug. */
    INTERNAL_ERROR("InternalError"),
    /** A host's sub-sample when --host-timeout gave up on it. */
    HOST_TIMEOUT("HostTimeout");

    private final String text;

    ResponseCode(String text) {
        this.text = text;
    }

    /** The code as the sample result carries it. */
    String text() {
        return text;
    }
}
