package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.testsupport.NetnsLab;
import io.github.jmeterportscan.testsupport.Privileges;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConcurrentPlan} once: 21,000 per-port samples of 210 threads, all the lab's truth. */
class ConcurrentSamplesLabTest {
    @TempDir
    Path dir;

    private static NetnsLab lab;

    @BeforeAll
    static void startLab() {
        Privileges.requireRoot("raw packets into a network namespace");
        lab = ConcurrentPlan.startLab();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyPerPortSampleOfTwoHundredThreadsIsTheLabsTruth() throws Exception {
        List<String> wrong = ConcurrentPlan.run(lab, dir);
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + ConcurrentPlan.SAMPLES
                + " per-port samples differ from the lab: " + wrong.subList(0, Math.min(20, wrong.size())));
    }
}
