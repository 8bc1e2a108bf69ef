package io.github.jmeterportscan.jmeter;

import java.beans.PropertyDescriptor;
import org.apache.jmeter.testbeans.BeanInfoSupport;

/**
 * The sampler's GUI, described rather than drawn: JMeter builds the form from these groups and
 * from the names and descriptions in {@code PortScanSamplerResources.properties}.
 */
public class PortScanSamplerBeanInfo extends BeanInfoSupport {
    public PortScanSamplerBeanInfo() {
        super(PortScanSampler.class);
        createPropertyGroup("targetGroup", new String[] {"targets", "exclude"});
        createPropertyGroup("portGroup", new String[] {"ports", "topPorts"});
        createPropertyGroup("scanGroup", new String[] {"scanType", "hostDiscovery"});
        createPropertyGroup("timingGroup", new String[] {"timingTemplate", "maxRetries", "hostTimeout", "minRate",
            "maxRate", "initialRttTimeout", "minRttTimeout", "maxRttTimeout", "scanDelay"});
        createPropertyGroup("interfaceGroup", new String[] {"networkInterface", "sourcePort"});
        createPropertyGroup("expectationGroup", new String[] {"expectedStates"});
        createPropertyGroup("resultGroup", new String[] {"granularity", "variablePrefix", "xmlFile"});
        createPropertyGroup("packetGroup", new String[] {"packetTrace", "pcapFile"});
        createPropertyGroup("optionsGroup", new String[] {"nmapOptions"});

        text("targets", "");
        text("exclude", "");
        text("ports", "");
        text("topPorts", "");
        tags("scanType", ScanSettings.SCAN_AUTO, new String[] {ScanSettings.SCAN_AUTO, ScanSettings.SCAN_SYN,
            ScanSettings.SCAN_CONNECT, ScanSettings.SCAN_ACK});
        tags("hostDiscovery", HostDiscoveryMode.NONE.tag(), HostDiscoveryMode.tags());
        tags("timingTemplate", ScanSettings.TEMPLATE_DEFAULT, ScanSettings.templateTags());
        for (String name : new String[] {"maxRetries", "hostTimeout", "minRate", "maxRate", "initialRttTimeout",
            "minRttTimeout", "maxRttTimeout", "scanDelay", "networkInterface", "sourcePort", "xmlFile",
            "nmapOptions"}) {
            text(name, "");
        }
        text("expectedStates", "open");
        tags("granularity", Granularity.SCAN.tag(), Granularity.tags());
        text("variablePrefix", SampleVariables.DEFAULT_PREFIX);
        tags("packetTrace", "false", new String[] {"false", "true"});
        text("pcapFile", "");
    }

    private void text(String name, String defaultValue) {
        PropertyDescriptor p = property(name);
        p.setValue(NOT_UNDEFINED, Boolean.TRUE);
        p.setValue(DEFAULT, defaultValue);
    }

    /** A drop-down that still accepts other text, so a ${variable} can choose the value. */
    private void tags(String name, String defaultValue, String[] tags) {
        PropertyDescriptor p = property(name);
        p.setValue(NOT_UNDEFINED, Boolean.TRUE);
        p.setValue(DEFAULT, defaultValue);
        p.setValue(TAGS, tags);
        p.setValue(NOT_OTHER, Boolean.FALSE);
    }
}
