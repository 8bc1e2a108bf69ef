package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.spec.ScanSpecException;
import java.util.Locale;

/** How many samples one scan produces. */
public enum Granularity {
    /** One sample for the whole scan, labelled with the sampler's name. */
    SCAN("per scan"),
    /** A container sample with one sub-sample per host, labelled with the host's address. */
    HOST("per host"),
    /** A container sample with one sub-sample per probed port, labelled host:port/tcp. */
    PORT("per port");

    private final String tag;

    Granularity(String tag) {
        this.tag = tag;
    }

    /** The value shown in (and saved from) the sampler's GUI. */
    public String tag() {
        return tag;
    }

    static String[] tags() {
        Granularity[] values = values();
        String[] tags = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            tags[i] = values[i].tag;
        }
        return tags;
    }

    /** Accepts the tag ("per port") or the bare word ("port"), any case; blank means {@link #SCAN}. */
    public static Granularity parse(String text) throws ScanSpecException {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return SCAN;
        }
        for (Granularity g : values()) {
            if (t.equals(g.tag) || t.equals(g.name().toLowerCase(Locale.ROOT))) {
                return g;
            }
        }
        throw new ScanSpecException("Unknown result granularity \"" + text.trim()
                + "\"; use per scan, per host or per port");
    }
}
