package io.github.jmeterportscan.jmeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jmeterportscan.testsupport.NmapRun;
import io.github.jmeterportscan.testsupport.NmapXml;
import io.github.jmeterportscan.testsupport.ResultsFile.Sample;
import io.github.jmeterportscan.testsupport.ResultsFile;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JMeter test stopped in the middle of a scan (the GUI's Stop, a stopping engine): the sampler
 * returns promptly and its "Save nmap XML to" file is a complete document, valid against
 * nmap.dtd, with the ports decided so far and runstats that say the scan was interrupted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortScanSamplerInterruptTest {
    private static final String PLAN = "/io/github/jmeterportscan/jmeter/interrupt.jmx";

    @TempDir
    Path dir;

    @Test
    void stoppingTheTestEndsTheScanAndClosesItsXmlFile() throws Exception {
        Path xml = dir.resolve("scan.xml");
        Path jtl = dir.resolve("scan.jtl");
        // Every port of 127.0.0.1 in order at 500 a second: over two minutes unless stopped.
        StandardJMeterEngine engine = EmbeddedJMeter.engine(EmbeddedJMeter.plan(PLAN, dir), Map.of(
                "interrupt_target", "127.0.0.1", "interrupt_options", "-r -p- --max-rate 500",
                "interrupt_xml", xml.toString()), jtl);
        Thread running = new Thread(engine::run, "jmeter-engine");
        running.start();
        long tookMillis;
        try {
            awaitScanStart(xml, running);
            Thread.sleep(1_000);
            long asked = System.nanoTime();
            engine.stopTest(true);
            running.join(TimeUnit.SECONDS.toMillis(10));
            tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        } finally {
            if (running.isAlive()) {
                engine.stopTest(true);
            }
        }
        assertFalse(running.isAlive(), "the test ended");
        assertTrue(tookMillis < 1_000, "the test ended " + tookMillis + " ms after it was told to stop");

        XmlValidation.assertValid(xml);
        String text = Files.readString(xml);
        NmapRun run = NmapXml.parse(xml);
        assertEquals("error", run.exit());
        assertEquals("Scan interrupted by " + SampleScan.INTERRUPTION + " before it finished", run.errorMsg());
        NavigableMap<Integer, ?> ports = run.onlyHost().tcp();
        assertTrue(ports.size() > 100, "the ports of the first second: " + ports.size());
        // In order, and every probe but perhaps the one on the wire answered.
        assertEquals(1, ports.firstKey());
        assertTrue(ports.lastKey() - ports.size() <= 1, ports.size() + " ports up to " + ports.lastKey());
        assertTrue(text.contains("comment=\"Scan interrupted with " + ports.size() + " of 65535 ports decided\""));

        List<Sample> rows = ResultsFile.read(jtl).samples();
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("Interrupted", rows.get(0).get("responseCode"), rows.toString());
    }

    private static void awaitScanStart(Path xml, Thread running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(xml) && Files.readString(xml).contains("<scaninfo ")) {
                return;
            }
            if (!running.isAlive()) {
                fail("the test ended before the scan started");
            }
            Thread.sleep(20);
        }
        fail("the scan did not start within 30 s");
    }
}
