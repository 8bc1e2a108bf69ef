package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.report.ReportException;
import io.github.jmeterportscan.scan.OutOfScopeException;
import io.github.jmeterportscan.scan.ScanException;
import io.github.jmeterportscan.spec.ScanSpecException;
import io.github.jmeterportscan.spec.ServiceTable;
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
 * the fields again before each sample, so nothing per-thread or per-JVM lives in them (the
 * transient fields hold this clone's compiled settings and the thread running the current scan,
 * for {@link #interrupt()}). The fields are turned into an nmap command line and read by
 * {@code NmapCommandLine} ({@link CompiledSettings}), so that a bad value fails the sample with
 * nmap's own message; {@link SampleScan} runs the scan and fills the sample.
 *
 * <p>A failed scan fails its sample with one of the {@link ResponseCode}s, and the rest of the
 * plan keeps running; each distinct error is logged once per JVM. See {@link ResultMapper} for
 * what a successful scan's sample says.
 */
public class PortScanSampler extends AbstractSampler implements TestBean, Interruptible, TestStateListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PortScanSampler.class);
    static final String PROGRAM = "portscan";

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

    /** This clone's compiled settings (a clone is sampled by one thread). */
    private transient CompiledSettings compiled;
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
            fail(result, vars, ResponseCode.INVALID_SPEC, e.getMessage());
        } catch (OutOfScopeException e) {
            fail(result, vars, ResponseCode.OUT_OF_SCOPE, e.getMessage());
        } catch (ScanException e) {
            fail(result, vars, ResponseCode.SCAN_ERROR, e.getMessage());
        } catch (ReportException e) {
            fail(result, vars, ResponseCode.OUTPUT_ERROR, e.getMessage());
        } catch (InterruptedException e) {
            // The JMeter thread goes on (a sample timeout, or a stopping test): do not leave the
            // interrupt pending for the next sampler.
            fail(result, vars, ResponseCode.INTERRUPTED, "The scan was interrupted");
        } catch (RuntimeException e) {
            if (OnceLog.warn(getName(), ResponseCode.INTERNAL_ERROR.text(), String.valueOf(e))) {
                LOG.error("{}: unexpected failure", getName(), e);
            }
            fail(result, vars, ResponseCode.INTERNAL_ERROR, String.valueOf(e));
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
        if (compiled == null) {
            compiled = new CompiledSettings();
        }
        CompiledSettings.Prepared prepared = compiled.prepare(settings(), expectedStates, granularity,
                result::setSamplerData);
        new SampleScan(getName(), Boolean.parseBoolean(packetTrace.trim()), pcapFile, variablePrefix)
                .run(prepared, result, vars, () -> {
                    synchronized (this) {
                        scanThread = Thread.currentThread();
                    }
                });
    }

    private void fail(SampleResult result, JMeterVariables vars, ResponseCode code, String message) {
        if (result.getEndTime() == 0) {
            result.sampleEnd();
        }
        result.setSuccessful(false);
        result.setResponseCode(code.text());
        result.setResponseMessage(message);
        ResultMapper.setText(result, message + "\n");
        SampleVariables.failed(vars, variablePrefix, message);
        OnceLog.warn(getName(), code.text(), message);
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
