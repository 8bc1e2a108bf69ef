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
    public static final ProgramIdentity PORTSCAN = new ProgramIdentity("portscan", buildVersion(),
            "https://github.com/jmeterportscan/jmeter-portscan");

    /** The version the build wrote into program.properties (from the POM), so that the two never differ. */
    private static String buildVersion() {
        try (InputStream in = ProgramIdentity.class.getResourceAsStream("program.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").trim();
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // A jar we cannot read our own resource from: say so in the version rather than fail.
        }
        return "unknown";
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
