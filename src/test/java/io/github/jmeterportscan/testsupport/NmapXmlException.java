package io.github.jmeterportscan.testsupport;

/** An nmap-format XML file could not be read or does not have the structure nmap writes. */
public class NmapXmlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NmapXmlException(String message) {
        super(message);
    }

    public NmapXmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
