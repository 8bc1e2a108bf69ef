package io.github.jmeterportscan.cli;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGINT, SIGTERM and SIGHUP end the program as they end nmap, with status 128 + the signal's
 * number (130 for Ctrl-C), but only after the outputs got their closing lines: the first signal
 * interrupts the scanning thread, which hands back the scan as far as it got, writes it out and
 * exits. Should that take longer than {@link #GRACE_MILLIS}, or a second signal come, the process
 * halts at once with what is written so far.
 *
 * <p>The JVM's own handlers for these signals start its shutdown at once, which leaves no time for
 * the scanning thread; {@code sun.misc.Signal} (module jdk.unsupported, kept for uses like this
 * one) is the only way to take them over. A signal ignored when the JVM started (a background job
 * of a non-interactive shell ignores SIGINT) stays ignored, as POSIX asks.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    /** Within a second of the signal the process is gone, whatever the scan is doing. */
    static final long GRACE_MILLIS = 900;
    private static final String[] NAMES = {"INT", "TERM", "HUP"};

    /** A signal received: its name ("SIGINT") and the exit status that reports it. */
    record Stop(String signal, int exitStatus) {
    }

    private final Thread scanThread;
    private volatile Stop received;

    private StopSignals(Thread scanThread) {
        this.scanThread = scanThread;
    }

    /** Handles the stop signals from now on by interrupting {@code scanThread}. */
    static StopSignals install(Thread scanThread) {
        StopSignals signals = new StopSignals(scanThread);
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), signals::handle);
            } catch (IllegalArgumentException e) {
                // Not available here (or reserved by the JVM's -Xrs): the JVM's default applies.
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return signals;
    }

    /** The first stop signal received, if any. */
    Optional<Stop> received() {
        return Optional.ofNullable(received);
    }

    /** Runs on a thread the JVM starts for each signal. */
    private void handle(Signal signal) {
        Stop stop = new Stop("SIG" + signal.getName(), 128 + signal.getNumber());
        synchronized (this) {
            if (received != null) {
                Runtime.getRuntime().halt(received.exitStatus());
            }
            received = stop;
        }
        scanThread.interrupt();
        try {
            TimeUnit.MILLISECONDS.sleep(GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(stop.exitStatus());
    }
}
