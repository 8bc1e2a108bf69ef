package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.discovery.DiscoveringScan;
import io.github.jmeterportscan.link.RawAccess;
import io.github.jmeterportscan.spec.ScanType;
import io.github.jmeterportscan.trace.ConnectScanCapture;
import io.github.jmeterportscan.trace.PacketRecorder;
import io.github.jmeterportscan.trace.PcapWriter;
import io.github.jmeterportscan.trace.TraceException;
import java.util.Optional;
import io.github.jmeterportscan.report.OutputSink;
import io.github.jmeterportscan.report.ProgramIdentity;
import io.github.jmeterportscan.report.ReportException;
import io.github.jmeterportscan.report.ReportWriters;
import io.github.jmeterportscan.result.ScanHeader;
import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.scan.ScanEngines;
import io.github.jmeterportscan.scan.ScanException;
import io.github.jmeterportscan.scan.ScanInterruptedException;
import io.github.jmeterportscan.scan.OutOfScopeException;
import io.github.jmeterportscan.scan.ScanObserver;
import io.github.jmeterportscan.scan.TargetGuard;
import io.github.jmeterportscan.spec.NmapCommandLine;
import io.github.jmeterportscan.spec.OutputFiles;
import io.github.jmeterportscan.spec.ParsedCommandLine;
import io.github.jmeterportscan.spec.ScanRequest;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.Scope;
import io.github.jmeterportscan.spec.Target;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.spec.HostResolver;
import io.github.jmeterportscan.spec.TargetExpander;
import io.github.jmeterportscan.spec.TargetExpansion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.jmeter.samplers.AbstractSampler;
import org.apache.jmeter.samplers.Entry;
import org.apache.jmeter.samplers.Interruptible;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testbeans.TestBean;
import org.apache.jmeter.testelement.TestStateListener;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterVariables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Port Scan (Nmap)": a TCP port scan (SYN, connect or ACK, as nmap does it) as a JMeter sampler.
 *
 * <p>Every field is a plain string property: JMeter substitutes variables and functions and sets
 * the fields again before each sample, so nothing per-thread or per-JVM lives in them (the one
 * transient field only points at the thread running the current scan, for {@link #interrupt()}).
 * The fields are turned into an nmap command line and read by {@code NmapCommandLine}, so that a
 * bad value fails the sample with nmap's own message.
 *
 * <p>Response codes of a failed scan (the rest of the plan keeps running): {@code InvalidSpec}
 * (bad ports, targets, timing values, expected states; unknown host; a {@value ScopeProperty#NAME}
 * that does not parse), {@code OutOfScope} (a target outside the engine's {@value ScopeProperty#NAME}
 * or the plan's --scope, or no target left after broadcast, multicast and unspecified addresses:
 * nothing was sent), {@code ScanError} (no
 * privileges for an explicit -sS/-sA, libpcap missing, interface gone), {@code OutputError}
 * (an -oX/-oN/-oG file cannot be written), {@code Interrupted}. Each distinct error is logged
 * once per JVM. See {@link ResultMapper} for what a successful scan's sample says.
 */
public class PortScanSampler extends AbstractSampler implements TestBean, Interruptible, TestStateListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PortScanSampler.class);
    static final String PROGRAM = "portscan";

    static final String CODE_INVALID = "InvalidSpec";
    static final String CODE_OUT_OF_SCOPE = "OutOfScope";
    static final String CODE_SCAN_ERROR = "ScanError";
    static final String CODE_OUTPUT_ERROR = "OutputError";
    static final String CODE_INTERRUPTED = "Interrupted";
    static final String CODE_INTERNAL = "InternalError";

    /** What the outputs name as the cause when JMeter interrupts a sample. */
    static final String INTERRUPTION = "JMeter (the test was stopped or the sample timed out)";

    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private String targets = "";
    private String exclude = "";
    private String ports = "";
    private String topPorts = "";
    private String scanType = ScanSettings.SCAN_AUTO;
    private String timingTemplate = ScanSettings.TEMPLATE_DEFAULT;
    private String maxRetries = "";
    private String hostTimeout = "";
    private String minRate = "";
    private String maxRate = "";
    private String initialRttTimeout = "";
    private String minRttTimeout = "";
    private String maxRttTimeout = "";
    private String scanDelay = "";
    private String networkInterface = "";
    private String sourcePort = "";
    private String expectedStates = "open";
    private String granularity = Granularity.SCAN.tag();
    private String variablePrefix = SampleVariables.DEFAULT_PREFIX;
    private String xmlFile = "";
    private String nmapOptions = "";
    private String packetTrace = "false";
    private String pcapFile = "";
    private String hostDiscovery = HostDiscoveryMode.NONE.tag();

    /** Option words that make the parser read a file (long options may be abbreviated). */
    private static final java.util.regex.Pattern READS_FILES = java.util.regex.Pattern.compile("--?(i|excludef)");
    /** This clone's last command line, the fields it came from and its text (a clone is sampled by one thread). */
    private transient ScanSettings argumentsOf;
    private transient List<String> arguments;
    private transient String samplerData;
    /** This clone's last parse and the arguments it came from. */
    private transient List<String> parsedArgs;
    private transient ParsedCommandLine parsed;
    private transient ScanRequest expandedRequest;
    private transient TargetExpansion expansion;
    private transient String expectedText;
    private transient ExpectationMatrix expected;

    /** The thread running this clone's scan, while it runs; guarded by this. */
    private transient Thread scanThread;

    @Override
    public SampleResult sample(Entry entry) {
        SampleResult result = new SampleResult();
        result.setSampleLabel(getName());
        result.sampleStart();
        JMeterVariables vars = JMeterContextService.getContext().getVariables();
        try {
            scan(result, vars);
        } catch (ScanSpecException e) {
            fail(result, vars, CODE_INVALID, e.getMessage());
        } catch (OutOfScopeException e) {
            fail(result, vars, CODE_OUT_OF_SCOPE, e.getMessage());
        } catch (ScanException e) {
            fail(result, vars, CODE_SCAN_ERROR, e.getMessage());
        } catch (ReportException e) {
            fail(result, vars, CODE_OUTPUT_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            // The JMeter thread goes on (a sample timeout, or a stopping test): do not leave the
            // interrupt pending for the next sampler.
            fail(result, vars, CODE_INTERRUPTED, "The scan was interrupted");
        } catch (RuntimeException e) {
            if (OnceLog.warn(getName(), CODE_INTERNAL, String.valueOf(e))) {
                LOG.error("{}: unexpected failure", getName(), e);
            }
            fail(result, vars, CODE_INTERNAL, String.valueOf(e));
        } finally {
            synchronized (this) {
                scanThread = null;
                // An interrupt() that came after the scan ended must not hit the next sampler.
                Thread.interrupted();
            }
        }
        return result;
    }

    private void scan(SampleResult result, JMeterVariables vars)
            throws ScanSpecException, ScanException, ReportException, InterruptedException {
        ServiceTable services = ServiceTable.system();
        Granularity perSample = Granularity.parse(granularity);
        ExpectationMatrix expected = expectations(services);
        List<String> args = arguments();
        result.setSamplerData(samplerData);
        ParsedCommandLine parsed = parse(services, args);
        if (parsed.action() != ParsedCommandLine.Action.SCAN) {
            throw new ScanSpecException("-h and -V print information and do not describe a scan");
        }
        ScanRequest asParsed = parsed.request().orElseThrow();
        if (asParsed.targets().isEmpty()) {
            throw new ScanSpecException("No targets: fill in Targets (or name them in the nmap options)");
        }
        Optional<Scope> engineScope = ScopeProperty.scope();
        ScanRequest request = engineScope.isPresent() ? asParsed.withScope(engineScope.get()) : asParsed;
        TargetExpansion expansion = expand(asParsed);
        if (!expansion.failures().isEmpty()) {
            throw new ScanSpecException(expansion.failures().stream().map(TargetExpansion.Failure::message)
                    .collect(Collectors.joining("; ")));
        }
        if (expansion.targets().isEmpty()) {
            throw new ScanSpecException(TargetExpansion.NO_TARGETS_WARNING);
        }
        TargetGuard.Admission admission = ScanEngines.standard().admit(request, expansion.targets());
        Optional<OutOfScopeException> refused = admission.refusal();
        if (refused.isPresent()) {
            throw refused.get();
        }
        List<Target> targets = admission.admitted();
        List<String> messages = new ArrayList<>(parsed.warnings());
        messages.addAll(expansion.messages());
        messages.addAll(admission.warnings());

        ReportWriters writers = ReportWriters.of(services::listedName, ProgramIdentity.PORTSCAN);
        List<String> notes = new ArrayList<>();
        ScanRequest decided = request.withScanType(ScanEngines.standard().chooseType(request, notes));
        notes.forEach(note -> OnceLog.note(getName(), note));
        PacketRecorder recorder = Boolean.parseBoolean(packetTrace.trim()) ? new PacketRecorder() : null;
        PcapWriter pcap = openPcap();
        ScanObserver packets = ScanObserver.all(recorder, pcap);
        ScanReport report;
        synchronized (this) {
            scanThread = Thread.currentThread();
        }
        // Without output files the sink would only render nmap's terminal output into DISCARD (a
        // PrintStream whose lock every thread shared): skip it.
        try (OutputSink sink = writesFiles(request.outputs()) ? writers.open(request.outputs(), DISCARD) : null;
                ConnectScanCapture connectCapture = connectCapture(decided, targets, packets, notes)) {
            long start = System.currentTimeMillis();
            ScanObserver observer = packets;
            if (sink != null) {
                sink.start(new ScanHeader(decided, decided.scanType().orElseThrow(), notes, start,
                    targets.size()));
                observer = ScanObserver.all(packets, ScanObserver.finishedHosts((host, i) -> sink.host(i, host)));
            }
            try {
                report = new DiscoveringScan(ScanEngines.standard()).run(decided, targets, notes, observer, start);
            } catch (ScanInterruptedException e) {
                if (sink != null) {
                    closeInterrupted(sink, e.report());
                }
                throw e;
            }
            result.sampleEnd();
            if (sink != null) {
                sink.finish(report);
            }
        } catch (IOException e) {
            throw new ReportException("Failed to close an output file: " + e.getMessage(), e);
        }
        ScanOutcome outcome = ScanOutcome.of(report);
        new ResultMapper(writers).fill(result, report, outcome, messages, expected, perSample);
        if (recorder != null) {
            PacketTraceText.attach(result, report, recorder);
        }
        SampleVariables.scanned(vars, variablePrefix, outcome);
    }

    /**
     * The output files of an interrupted scan get what it found and closing lines that say JMeter
     * interrupted it; the sample then fails as Interrupted.
     */
    private static void closeInterrupted(OutputSink sink, ScanReport partial) throws ReportException {
        // The interrupt did its work; closing the files must not see it.
        Thread.interrupted();
        sink.finish(partial.interruptedBy(INTERRUPTION));
    }

    /**
     * The command line the fields stand for, made again only when a field changed: JMeter sets
     * the fields before every sample, mostly to the same values, and building the words took a
     * twentieth of a one-port sample.
     */
    private List<String> arguments() throws ScanSpecException {
        ScanSettings now = settings();
        if (!now.equals(argumentsOf)) {
            List<String> fresh = List.copyOf(now.toArguments());
            samplerData = PROGRAM + " " + String.join(" ", fresh);
            arguments = fresh;
            argumentsOf = now;
        }
        return arguments;
    }

    /**
     * The parsed command line, reused while the arguments stay the same: a thread samples the
     * same fields over and over, and parsing them cost more than a one-port scan. Options that
     * read files (-iL, --excludefile, and everything else starting with -i) are parsed afresh each
     * time so that the files are read when the sample runs, as nmap reads them per run.
     */
    private ParsedCommandLine parse(ServiceTable services, List<String> args) throws ScanSpecException {
        if (args.equals(parsedArgs)) {
            return parsed;
        }
        ParsedCommandLine fresh = new NmapCommandLine(services, PROGRAM).parseCommandLine(args);
        boolean readsFiles = args.stream().anyMatch(arg -> READS_FILES.matcher(arg).lookingAt());
        parsedArgs = readsFiles ? null : args;
        parsed = readsFiles ? null : fresh;
        return fresh;
    }

    /**
     * The request's targets, reused while the request is the same one (see {@link #parse}) and its
     * expansion needed no name resolution: addresses and ranges expand the same every time, while
     * a name is looked up again for every sample, as nmap looks it up for every run.
     */
    private TargetExpansion expand(ScanRequest request) throws ScanSpecException {
        if (request == expandedRequest) {
            return expansion;
        }
        boolean[] resolvedAName = {false};
        HostResolver noting = name -> {
            resolvedAName[0] = true;
            return HostResolver.SYSTEM.resolve(name);
        };
        TargetExpansion fresh = new TargetExpander(noting, TargetExpander.DEFAULT_MAX_ADDRESSES).expand(request);
        expandedRequest = resolvedAName[0] ? null : request;
        expansion = resolvedAName[0] ? null : fresh;
        return fresh;
    }

    private ExpectationMatrix expectations(ServiceTable services) throws ScanSpecException {
        if (!expectedStates.equals(expectedText)) {
            expected = ExpectationMatrix.parse(expectedStates, services);
            expectedText = expectedStates;
        }
        return expected;
    }

    /** Whether -oN/-oX/-oG name a file (not "-", which here goes to DISCARD anyway). */
    private static boolean writesFiles(OutputFiles outputs) {
        return namesFile(outputs.normal()) || namesFile(outputs.xml()) || namesFile(outputs.grepable());
    }

    private static boolean namesFile(Optional<String> path) {
        return path.isPresent() && !path.get().equals("-");
    }

    /** The test-wide writer of the "Save packets to" file, if one is named. */
    private PcapWriter openPcap() throws ReportException {
        if (pcapFile.isBlank()) {
            return null;
        }
        try {
            return SharedPcapFiles.writerFor(pcapFile.trim());
        } catch (TraceException e) {
            throw new ReportException(e.getMessage(), e);
        }
    }

    /**
     * A connect scan's packets are the kernel's: when they are wanted and capture rights allow,
     * they are captured on the route's interface; otherwise the notes say why there are none.
     */
    private static ConnectScanCapture connectCapture(ScanRequest decided, List<Target> targets,
            ScanObserver packets, List<String> notes) {
        if (!packets.wantsPackets() || decided.scanType().map(ScanType::isRaw).orElse(true)) {
            return null;
        }
        Optional<String> problem = RawAccess.problem();
        if (problem.isPresent()) {
            notes.add("The kernel makes a connect scan's packets and they cannot be captured here ("
                    + problem.get() + ")");
            return null;
        }
        try {
            return ConnectScanCapture.start(targets, decided.ports(), decided.interfaceName(), packets);
        } catch (TraceException e) {
            notes.add("The connect scan's packets are not captured: " + e.getMessage());
            return null;
        }
    }

    private void fail(SampleResult result, JMeterVariables vars, String code, String message) {
        if (result.getEndTime() == 0) {
            result.sampleEnd();
        }
        result.setSuccessful(false);
        result.setResponseCode(code);
        result.setResponseMessage(message);
        ResultMapper.setText(result, message + "\n");
        SampleVariables.failed(vars, variablePrefix, message);
        OnceLog.warn(getName(), code, message);
    }

    /** The fields as they are now (after JMeter's substitution), as one value. */
    ScanSettings settings() {
        return new ScanSettings(targets, exclude, ports, topPorts, scanType, timingTemplate, maxRetries, hostTimeout,
                minRate, maxRate, initialRttTimeout, minRttTimeout, maxRttTimeout, scanDelay, networkInterface,
                sourcePort, nmapOptions, xmlFile, hostDiscovery);
    }

    /** Interrupts the running scan, which then stops promptly and fails the sample as Interrupted. */
    @Override
    public boolean interrupt() {
        synchronized (this) {
            if (scanThread == null) {
                return false;
            }
            scanThread.interrupt();
            return true;
        }
    }

    @Override
    public void testStarted() {
        ScopeProperty.testStarted();
        CaptureKeepAlive.testStarted();
        // Loaded now rather than by the first samples, which would all queue on its lock.
        ServiceTable.system();
    }

    @Override
    public void testStarted(String host) {
        testStarted();
    }

    @Override
    public void testEnded() {
        ScopeProperty.testEnded();
        CaptureKeepAlive.testEnded();
        if (!CaptureKeepAlive.active()) {
            SharedPcapFiles.closeAll();
        }
    }

    @Override
    public void testEnded(String host) {
        testEnded();
    }

    // Bean properties: getters and setters are what JMeter's TestBean machinery reads and writes.

    public String getTargets() {
        return targets;
    }

    public void setTargets(String targets) {
        this.targets = targets;
    }

    public String getExclude() {
        return exclude;
    }

    public void setExclude(String exclude) {
        this.exclude = exclude;
    }

    public String getPorts() {
        return ports;
    }

    public void setPorts(String ports) {
        this.ports = ports;
    }

    public String getTopPorts() {
        return topPorts;
    }

    public void setTopPorts(String topPorts) {
        this.topPorts = topPorts;
    }

    public String getScanType() {
        return scanType;
    }

    public void setScanType(String scanType) {
        this.scanType = scanType;
    }

    public String getTimingTemplate() {
        return timingTemplate;
    }

    public void setTimingTemplate(String timingTemplate) {
        this.timingTemplate = timingTemplate;
    }

    public String getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(String maxRetries) {
        this.maxRetries = maxRetries;
    }

    public String getHostTimeout() {
        return hostTimeout;
    }

    public void setHostTimeout(String hostTimeout) {
        this.hostTimeout = hostTimeout;
    }

    public String getMinRate() {
        return minRate;
    }

    public void setMinRate(String minRate) {
        this.minRate = minRate;
    }

    public String getMaxRate() {
        return maxRate;
    }

    public void setMaxRate(String maxRate) {
        this.maxRate = maxRate;
    }

    public String getInitialRttTimeout() {
        return initialRttTimeout;
    }

    public void setInitialRttTimeout(String initialRttTimeout) {
        this.initialRttTimeout = initialRttTimeout;
    }

    public String getMinRttTimeout() {
        return minRttTimeout;
    }

    public void setMinRttTimeout(String minRttTimeout) {
        this.minRttTimeout = minRttTimeout;
    }

    public String getMaxRttTimeout() {
        return maxRttTimeout;
    }

    public void setMaxRttTimeout(String maxRttTimeout) {
        this.maxRttTimeout = maxRttTimeout;
    }

    public String getScanDelay() {
        return scanDelay;
    }

    public void setScanDelay(String scanDelay) {
        this.scanDelay = scanDelay;
    }

    public String getNetworkInterface() {
        return networkInterface;
    }

    public void setNetworkInterface(String networkInterface) {
        this.networkInterface = networkInterface;
    }

    public String getSourcePort() {
        return sourcePort;
    }

    public void setSourcePort(String sourcePort) {
        this.sourcePort = sourcePort;
    }

    public String getExpectedStates() {
        return expectedStates;
    }

    public void setExpectedStates(String expectedStates) {
        this.expectedStates = expectedStates;
    }

    public String getGranularity() {
        return granularity;
    }

    public void setGranularity(String granularity) {
        this.granularity = granularity;
    }

    public String getVariablePrefix() {
        return variablePrefix;
    }

    public void setVariablePrefix(String variablePrefix) {
        this.variablePrefix = variablePrefix;
    }

    public String getXmlFile() {
        return xmlFile;
    }

    public void setXmlFile(String xmlFile) {
        this.xmlFile = xmlFile;
    }

    public String getPacketTrace() {
        return packetTrace;
    }

    public void setPacketTrace(String packetTrace) {
        this.packetTrace = packetTrace;
    }

    public String getPcapFile() {
        return pcapFile;
    }

    public void setPcapFile(String pcapFile) {
        this.pcapFile = pcapFile;
    }

    public String getHostDiscovery() {
        return hostDiscovery;
    }

    public void setHostDiscovery(String hostDiscovery) {
        this.hostDiscovery = hostDiscovery;
    }

    public String getNmapOptions() {
        return nmapOptions;
    }

    public void setNmapOptions(String nmapOptions) {
        this.nmapOptions = nmapOptions;
    }
}
