package io.github.jmeterportscan.link;

/**
 * A hold on the JVM's shared captures, from {@link Links#retainCaptures()}: while any hold is
 * open, a capture stays open after its last link closes, so a run of short scans (JMeter threads
 * scanning one after another) reuses one handle instead of reopening it for every scan. Closing
 * the last hold releases the captures it kept; closing twice is harmless.
 */
public interface CaptureRetention extends AutoCloseable {
    @Override
    void close();
}
