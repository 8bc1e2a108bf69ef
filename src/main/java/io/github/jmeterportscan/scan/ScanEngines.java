package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.link.ConnectedBroadcasts;
import io.github.jmeterportscan.link.RawAccess;

/** The engine as the CLI and the JMeter sampler use it: real links, real sockets. */
public final class ScanEngines {
    private static final ScanEngine STANDARD = new ScanEngine(new RawPortScanner(LinkFactory.kernel()),
            new ConnectPortScanner(), RawAccess::problem, new TargetGuard(ConnectedBroadcasts::read));

    private ScanEngines() {
    }

    public static ScanEngine standard() {
        return STANDARD;
    }
}
