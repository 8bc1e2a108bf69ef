package io.github.jmeterportscan.jmeter;

import java.beans.PropertyDescriptor;
import org.apache.jmeter.testbeans.BeanInfoSupport;
import org.apache.jmeter.testbeans.gui.TypeEditor;

/** The assertion's GUI: texts in {@code PortStateAssertionResources.properties}. */
public class PortStateAssertionBeanInfo extends BeanInfoSupport {
    public PortStateAssertionBeanInfo() {
        super(PortStateAssertion.class);
        createPropertyGroup("expectationGroup", new String[] {"expectedStates", "baselineFile"});
        PropertyDescriptor p = property("expectedStates", TypeEditor.TextAreaEditor);
        p.setValue(NOT_UNDEFINED, Boolean.TRUE);
        p.setValue(DEFAULT, "");
        p = property("baselineFile");
        p.setValue(NOT_UNDEFINED, Boolean.TRUE);
        p.setValue(DEFAULT, "");
    }
}
