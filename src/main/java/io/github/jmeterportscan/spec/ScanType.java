package io.github.jmeterportscan.spec;

/** The TCP scan methods we implement, with nmap's option letter and XML scaninfo name. */
public enum ScanType {
    /** Half-open scan with raw SYN packets (-sS). */
    SYN("-sS", "syn", "SYN Stealth Scan"),
    /** Full handshake through the kernel's connect() (-sT); needs no privileges. */
    CONNECT("-sT", "connect", "Connect Scan"),
    /** Raw ACK packets to map firewall rules (-sA): unfiltered or filtered, never open. */
    ACK("-sA", "ack", "ACK Scan");

    private final String option;
    private final String xmlName;
    private final String title;

    ScanType(String option, String xmlName, String title) {
        this.option = option;
        this.xmlName = xmlName;
        this.title = title;
    }

    public String option() {
        return option;
    }

    /** The value of nmap's {@code <scaninfo type=...>}. */
    public String xmlName() {
        return xmlName;
    }

    /** The phase name nmap prints in verbose output ("SYN Stealth Scan"). */
    public String title() {
        return title;
    }

    /** Whether this method sends hand-made packets (and so needs raw socket and capture access). */
    public boolean isRaw() {
        return this != CONNECT;
    }
}
