package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.trace.PcapWriter;
import io.github.jmeterportscan.trace.TraceException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pcap writer per file for the whole test, shared by every thread that names the file: a pcap
 * file has one header, so threads cannot each open it. The writer takes packets from any thread
 * (it queues them for its own writer thread); the files are closed when the test ends.
 */
final class SharedPcapFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPcapFiles.class);
    private static final Map<Path, PcapWriter> WRITERS = new HashMap<>();

    private SharedPcapFiles() {
    }

    static synchronized PcapWriter writerFor(String file) throws TraceException {
        Path path = Path.of(file).toAbsolutePath().normalize();
        PcapWriter writer = WRITERS.get(path);
        if (writer == null) {
            writer = PcapWriter.open(path);
            WRITERS.put(path, writer);
        }
        return writer;
    }

    /** Closes every file; a file that lost packets says so in the log (and is still readable). */
    static synchronized void closeAll() {
        for (PcapWriter writer : WRITERS.values()) {
            try {
                writer.close();
            } catch (TraceException e) {
                LOG.warn("Port scan pcap file {}: {}", writer.file(), e.getMessage());
            }
        }
        WRITERS.clear();
    }
}
