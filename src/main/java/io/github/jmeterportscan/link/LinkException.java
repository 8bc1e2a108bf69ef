package io.github.jmeterportscan.link;

/**
 * The packet path to a destination cannot be opened or kept: no route, no privileges, no libpcap, an
 * interface that is down or gone, a neighbour that does not answer. The message says what went
 * wrong and what to do about it, in words a user can act on; the scan engines pass it on unchanged.
 */
public class LinkException extends Exception {
    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
