package io.github.jmeterportscan.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;

/**
 * Who wrote a report. Our output copies nmap's formats, but we do not claim to be nmap where a
 * human reads the name: the interactive "Starting ..." banner, the program name at the head of the
 * recorded command line and an XML comment carry this identity. Places whose value is fixed by
 * nmap's DTD or that parsers key on ({@code scanner="nmap"}, "# Nmap 7.93 scan initiated") keep
 * nmap's words; see {@link NmapFormat}.
 *
 * @param name    program name, also written as argv[0] of the recorded command line
 * @param version program version
 * @param url     where to find the program, shown in the banner as nmap shows its own URL
 */
public record ProgramIdentity(String name, String version, String url) {
    /** This project, as the CLI and the JMeter sampler present it. */
    public static final ProgramIdentity PORTSCAN = fromBuild();

    /**
     * The version and URL the build wrote into program.properties (from the POM's version and url), so that
     * the program, the POM and the JMeter Plugins Manager descriptor never differ.
     */
    private static ProgramIdentity fromBuild() {
        Properties properties = new Properties();
        try (InputStream in = ProgramIdentity.class.getResourceAsStream("program.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // A jar we cannot read our own resource from: say so in the version rather than fail.
        }
        return new ProgramIdentity("portscan", filled(properties, "version", "unknown"), filled(properties, "url", ""));
    }

    /** A property the build filled in; the fallback when it is missing or was not filtered. */
    private static String filled(Properties properties, String name, String fallback) {
        String value = properties.getProperty(name, "").trim();
        return value.isEmpty() || value.startsWith("${") ? fallback : value;
    }

    public ProgramIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(url, "url");
        if (name.isBlank()) {
            throw new IllegalArgumentException("program name must not be blank");
        }
    }
}
