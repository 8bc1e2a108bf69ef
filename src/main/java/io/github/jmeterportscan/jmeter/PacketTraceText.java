package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.trace.PacketRecorder;
import io.github.jmeterportscan.trace.PortTrace;
import io.github.jmeterportscan.trace.PortTraces;
import io.github.jmeterportscan.trace.TraceFormatter;
import io.github.jmeterportscan.spec.AddressFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jmeter.samplers.SampleResult;

/**
 * Adds the per-port packet traces to a sample's response data (what View Results Tree shows): all
 * of them under the scan's own report, and each port's under its per-port sub-sample.
 */
final class PacketTraceText {
    private PacketTraceText() {
    }

    static void attach(SampleResult result, ScanReport report, PacketRecorder recorder) {
        List<PortTrace> traces = PortTraces.of(recorder.packets(), report.hosts());
        String omitted = recorder.omitted() > 0
                ? "(" + recorder.omitted() + " more packets were not kept)\n" : "";
        append(result, "\nPacket trace\n" + TraceFormatter.format(traces) + omitted);
        Map<String, PortTrace> byLabel = new HashMap<>();
        for (PortTrace trace : traces) {
            byLabel.put(PortOutcome.hostForLabel(AddressFormat.toNmapString(trace.target())) + ":" + trace.port() + "/tcp", trace);
        }
        for (SampleResult child : result.getSubResults()) {
            PortTrace trace = byLabel.get(child.getSampleLabel());
            if (trace != null) {
                append(child, "\n" + TraceFormatter.format(trace));
            }
        }
    }

    private static void append(SampleResult result, String text) {
        ResultMapper.setText(result, result.getResponseDataAsString() + text);
    }

}
