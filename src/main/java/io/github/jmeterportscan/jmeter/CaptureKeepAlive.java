package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.link.CaptureRetention;
import io.github.jmeterportscan.link.Links;

/**
 * Keeps the packet captures open for the whole test: JMeter calls testStarted/testEnded once per
 * JVM for each port-scan element of the plan, and the first start / last end bracket the test.
 * Without it, every scan whose links all closed would close the capture handle and the next scan,
 * a millisecond later, would open a new one.
 */
final class CaptureKeepAlive {
    private static int users;
    private static CaptureRetention retention;

    private CaptureKeepAlive() {
    }

    static synchronized void testStarted() {
        if (users++ == 0) {
            retention = Links.retainCaptures();
        }
    }

    static synchronized void testEnded() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            retention.close();
            retention = null;
        }
    }

    /** Whether a test is holding the captures; for tests. */
    static synchronized boolean active() {
        return users > 0;
    }
}
