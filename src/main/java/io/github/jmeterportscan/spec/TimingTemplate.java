package io.github.jmeterportscan.spec;

import java.util.Locale;

/**
 * nmap's -T0 .. -T5 timing templates. Each one changes some of the timing values from nmap's
 * defaults (which are what "normal", -T3, keeps); see {@link TimingOptions#applyTemplate}.
 */
public enum TimingTemplate {
    PARANOID,
    SNEAKY,
    POLITE,
    NORMAL,
    AGGRESSIVE,
    INSANE;

    static final String UNKNOWN_MESSAGE = "Unknown timing mode (-T argument).  Use either \"Paranoid\", "
            + "\"Sneaky\", \"Polite\", \"Normal\", \"Aggressive\", \"Insane\" or a number from 0 (Paranoid) "
            + "to 5 (Insane)";

    public int level() {
        return ordinal();
    }

    /** The name as nmap's help writes it ("Aggressive"). */
    public String displayName() {
        String lower = name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** The template's values on top of nmap's defaults. */
    public Timing timing() {
        return new TimingOptions().applyTemplate(this).build();
    }

    /** nmap 7.93 answers "-T11" with the message "ok nigel" and insane timing. */
    public static boolean isEasterEgg(String arg) {
        return arg.startsWith("11");
    }

    /**
     * Parses a -T argument as nmap does: a name (any case), or a digit 0..5 as its first
     * character: nmap only looks at the first character of a number ("-T4x" and "-T42" are -T4),
     * except for an easter egg that turns "-T11" into -T5 (see {@link #isEasterEgg}).
     */
    public static TimingTemplate parse(String arg) throws ScanSpecException {
        for (TimingTemplate t : values()) {
            if (t.name().equalsIgnoreCase(arg)) {
                return t;
            }
        }
        if (arg.isEmpty()) {
            throw new ScanSpecException(UNKNOWN_MESSAGE);
        }
        char first = arg.charAt(0);
        if (isEasterEgg(arg)) {
            return INSANE;
        }
        if (first >= '0' && first <= '5') {
            return values()[first - '0'];
        }
        throw new ScanSpecException(UNKNOWN_MESSAGE);
    }
}
