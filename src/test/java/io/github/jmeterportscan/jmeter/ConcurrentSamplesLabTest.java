package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.LabExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConcurrentPlan} once: 21,000 per-port samples of 210 threads, all the lab's truth. */
class ConcurrentSamplesLabTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final LabExtension LAB = ConcurrentPlan.lab();

    @Test
    void everyPerPortSampleOfTwoHundredThreadsIsTheLabsTruth() throws Exception {
        List<String> wrong = ConcurrentPlan.run(LAB.lab(), dir);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + ConcurrentPlan.SAMPLES
                + " per-port samples differ from the lab: " + wrong.subList(0, Math.min(20, wrong.size())));
    }
}
