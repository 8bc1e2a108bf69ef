package io.github.jmeterportscan.jmeter;

import io.github.jmeterportscan.spec.Scope;
import io.github.jmeterportscan.spec.ScanSpecException;
import java.util.Optional;
import java.util.Properties;
import org.apache.jmeter.util.JMeterUtils;

/**
 * The engine's scope: the JMeter property {@value #NAME} (user.properties, or -J on each engine),
 * read when a test starts, so that every sample of the test is held to the same networks and a
 * plan cannot widen them while it runs. Unset means no limit; a value that does not parse fails
 * every sample (rather than lifting the limit).
 */
final class ScopeProperty {
    static final String NAME = "portscan.scope";

    /** The property as read for the current test: the scope, none, or why it does not parse. */
    private record Reading(Optional<Scope> scope, String problem) {
    }

    private static volatile Reading current;

    private ScopeProperty() {
    }

    /** Reads the property afresh: a test start, on each engine. */
    static void testStarted() {
        current = read();
    }

    /** Forgets the reading, so that the next test (or a sample outside a test) reads the property again. */
    static void testEnded() {
        current = null;
    }

    /**
     * The scope this engine's samples must keep to; outside a test the property is read now.
     *
     * @throws ScanSpecException when the property is set to something that is not a scope
     */
    static Optional<Scope> scope() throws ScanSpecException {
        Reading reading = current;
        if (reading == null) {
            reading = read();
        }
        if (reading.problem() != null) {
            throw new ScanSpecException(reading.problem());
        }
        return reading.scope();
    }

    private static Reading read() {
        // Without JMeter's properties (a sampler run outside JMeter) there is no engine scope.
        Properties properties = JMeterUtils.getJMeterProperties();
        String text = properties == null ? null : properties.getProperty(NAME);
        if (text == null) {
            return new Reading(Optional.empty(), null);
        }
        try {
            return new Reading(Optional.of(Scope.parse(text, NAME)), null);
        } catch (ScanSpecException e) {
            return new Reading(Optional.empty(), e.getMessage());
        }
    }
}
