import io.github.jmeterportscan.link.CaptureRetention;
import io.github.jmeterportscan.link.Links;
import io.github.jmeterportscan.result.HostResult;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.ScanEngine;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.TargetExpander;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Workload 5's engine-side baseline for one-port samples: the scan engine driven directly, with no
 * JMeter, by THREADS threads that each scan one port of 127.0.0.1 at a time, an open and a closed
 * port in turn, with the options of bench/jmeter/probe-rate.jmx (-sS -T4 --max-retries 1) and the
 * captures kept open for the whole run as the sampler keeps them for a test. Same warm-up and
 * window as the JMeter runs. Run from the repository root (needs root):
 *
 *   java -cp target/portscan.jar bench/EngineRate.java THREADS WARMUP_S SECONDS OPEN_PORT CLOSED_PORT
 *
 * Prints one CSV line: threads,probes,seconds,probes_per_s,cpu_us_per_probe,errors.
 */
public final class EngineRate {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long warmupNanos = (long) (Double.parseDouble(args[1]) * 1e9);
        long windowNanos = (long) (Double.parseDouble(args[2]) * 1e9);
        List<ScanRequest> requests = List.of(request(args[3]), request(args[4]));
        List<Target> targets = new TargetExpander().expand(requests.get(0)).targets();
        ScanEngine engine = ScanEngines.standard();
        LongAdder probes = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (CaptureRetention ignored = Links.retainCaptures()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            ScanReport report = engine.run(requests.get(i & 1), targets, List.of(), ScanObserver.NONE);
                            for (HostResult host : report.hosts()) {
                                probes.add(host.ports().size());
                            }
                        } catch (Exception e) {
                            errors.increment();
                        }
                    }
                }, "engine-rate-" + t);
                workers.add(worker);
                worker.start();
            }
            Thread.sleep(warmupNanos / 1_000_000);
            long probes0 = probes.sum();
            long errors0 = errors.sum();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(windowNanos / 1_000_000);
            long probes1 = probes.sum();
            long cpu1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            long errors1 = errors.sum();
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
            long counted = probes1 - probes0;
            double seconds = (t1 - t0) / 1e9;
            System.out.printf("%d,%d,%.2f,%.0f,%.1f,%d%n", threads, counted, seconds, counted / seconds,
                    counted == 0 ? 0.0 : (cpu1 - cpu0) / 1e3 / counted, errors1 - errors0);
        }
    }

    private static ScanRequest request(String port) throws Exception {
        return NmapCommandLine.parse("-sS", "-n", "-Pn", "-T4", "--max-retries", "1", "-p", port, "127.0.0.1");
    }
}
