package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.testsupport.Privileges;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand test starts and stops in one JVM (see {@link StartStopCycles}); each opens and
 * closes a capture handle, ~50 ms, so this runs in the soak profile, and the normal suite runs a
 * hundred ({@link PortScanSamplerStartStopTest}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PortScanSamplerStartStopSoak {
    @TempDir
    Path dir;

    @BeforeAll
    static void jmeter() throws Exception {
        Privileges.requireRoot("SYN scans open the capture whose handles this test counts");
        EmbeddedJMeter.home();
    }

    @Test
    void aThousandTestStartsAndStopsGiveBackEveryHandleAndThread() throws Exception {
        StartStopCycles.run(1000, dir);
    }
}
