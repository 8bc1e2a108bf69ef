package io.github.jmeterportscan.scan;

/**
 * A scan was refused because a target lies outside its scope, or because nothing was left after
 * the addresses that are never scanned (broadcast, multicast, unspecified). Nothing was sent.
 */
public class OutOfScopeException extends ScanException {
    public OutOfScopeException(String message) {
        super(message);
    }
}
