package io.github.jmeterportscan.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a {@link Timing} the way nmap does: -T templates change values immediately (and in
 * order, so "-T4 -T2" keeps -T4's RTT values), while --max-retries, --host-timeout and the other
 * individual options are kept aside and applied after every option has been read, so they win
 * over any template whatever their position. Values are validated with nmap's messages.
 *
 * <p>The RTT setters keep initial, min and max consistent exactly like nmap's NmapOps setters
 * (raising the maximum when the initial timeout exceeds it, and so on).
 */
public final class TimingOptions {
    // nmap's defaults (nmap.h), in milliseconds.
    private static final long DEFAULT_MIN_RTT = 100;
    private static final long DEFAULT_MAX_RTT = 10_000;
    private static final long DEFAULT_INITIAL_RTT = 1_000;
    private static final int DEFAULT_MAX_RETRIES = 10;
    private static final long DEFAULT_MAX_SCAN_DELAY = 1_000;

    private int level = 3;
    private long minRtt = DEFAULT_MIN_RTT;
    private long maxRtt = DEFAULT_MAX_RTT;
    private long initialRtt = DEFAULT_INITIAL_RTT;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    /** Whether maxRetries is still nmap's default, not set by the user or by a template. */
    private boolean defaultMaxRetries = true;
    private long scanDelay;
    private long maxScanDelay = DEFAULT_MAX_SCAN_DELAY;
    private long hostTimeout;
    private float minRate;
    private float maxRate;

    // Delayed overrides (-1 = not given), applied in build() in nmap's order.
    private long preScanDelay = -1;
    private long preMaxScanDelay = -1;
    private long preInitialRtt = -1;
    private long preMinRtt = -1;
    private long preMaxRtt = -1;
    private int preMaxRetries = -1;
    private long preHostTimeout = -1;

    private final List<String> warnings = new ArrayList<>();

    /** Applies a -T template on top of the current values, as nmap's option loop does. */
    public TimingOptions applyTemplate(TimingTemplate template) {
        switch (template) {
            case PARANOID:
                level = 0;
                scanDelay = 300_000;
                setInitialRtt(300_000);
                break;
            case SNEAKY:
                level = 1;
                scanDelay = 15_000;
                setInitialRtt(15_000);
                break;
            case POLITE:
                level = 2;
                scanDelay = 400;
                break;
            case NORMAL:
                break; // nmap leaves everything as it is, even the level
            case AGGRESSIVE:
                level = 4;
                setMinRtt(100);
                setMaxRtt(1_250);
                setInitialRtt(500);
                maxScanDelay = 10;
                maxRetries = 6;
                defaultMaxRetries = false;
                break;
            case INSANE:
                level = 5;
                setMinRtt(50);
                setMaxRtt(300);
                setInitialRtt(250);
                hostTimeout = 900_000;
                maxScanDelay = 5;
                maxRetries = 2;
                defaultMaxRetries = false;
                break;
            default:
                throw new IllegalStateException(template.name());
        }
        return this;
    }

    /** --max-retries: atoi, so "abc" is 0 as in nmap. */
    public TimingOptions maxRetries(String value) throws ScanSpecException {
        int n = CNumberConversions.atoi(value);
        if (n < 0) {
            throw new ScanSpecException("max-retries must be positive");
        }
        preMaxRetries = n;
        return this;
    }

    public TimingOptions hostTimeout(String value) throws ScanSpecException {
        long ms = TimeSpec.toMillis(value);
        if (ms < 0) {
            throw new ScanSpecException("Bogus --host-timeout argument specified");
        }
        if (ms >= 10_000L * 1000 && !TimeSpec.hasUnit(value)) {
            throw new ScanSpecException("Since April 2010, the default unit for --host-timeout is seconds, so "
                    + "your time of \"" + value + "\" is " + CNumberConversions.formatFixed1(ms / 1000.0 / 60 / 60)
                    + " hours. If this is what you want, use \"" + value + "s\".");
        }
        preHostTimeout = ms;
        return this;
    }

    public TimingOptions scanDelay(String value) throws ScanSpecException {
        long ms = TimeSpec.toMillis(value);
        if (ms < 0) {
            throw new ScanSpecException("Bogus --scan-delay argument specified.");
        }
        if (ms >= 100L * 1000 && !TimeSpec.hasUnit(value)) {
            throw new ScanSpecException("Since April 2010, the default unit for --scan-delay is seconds, so "
                    + "your time of \"" + value + "\" is " + CNumberConversions.formatFixed1(ms / 1000.0 / 60)
                    + " minutes. Use \"" + value + "ms\" for " + CNumberConversions.formatG(ms / 1000.0)
                    + " milliseconds.");
        }
        preScanDelay = ms;
        return this;
    }

    public TimingOptions maxScanDelay(String value) throws ScanSpecException {
        long ms = TimeSpec.toMillis(value);
        if (ms < 0) {
            throw new ScanSpecException("Bogus --max-scan-delay argument specified.");
        }
        if (ms >= 100L * 1000 && !TimeSpec.hasUnit(value)) {
            throw new ScanSpecException("Since April 2010, the default unit for --max-scan-delay is seconds, "
                    + "so your time of \"" + value + "\" is " + CNumberConversions.formatFixed1(ms / 1000.0 / 60)
                    + " minutes. If this is what you want, use \"" + value + "s\".");
        }
        preMaxScanDelay = ms;
        return this;
    }

    public TimingOptions initialRttTimeout(String value) throws ScanSpecException {
        long ms = TimeSpec.toMillis(value);
        if (ms <= 0) {
            throw new ScanSpecException("Bogus --initial-rtt-timeout argument specified.  Must be positive");
        }
        checkRttUnit("initial-rtt-timeout", value, ms);
        preInitialRtt = ms;
        return this;
    }

    public TimingOptions minRttTimeout(String value) throws ScanSpecException {
        long ms = TimeSpec.toMillis(value);
        if (ms < 0) {
            throw new ScanSpecException("Bogus --min-rtt-timeout argument specified");
        }
        checkRttUnit("min-rtt-timeout", value, ms);
        preMinRtt = ms;
        return this;
    }

    public TimingOptions maxRttTimeout(String value) throws ScanSpecException {
        long ms = TimeSpec.toMillis(value);
        if (ms < 5) {
            throw new ScanSpecException("Bogus --max-rtt-timeout argument specified, must be at least 5ms");
        }
        checkRttUnit("max-rtt-timeout", value, ms);
        if (ms < 20) {
            warnings.add("WARNING: You specified a round-trip time timeout (" + ms
                    + " ms) that is EXTRAORDINARILY SMALL.  Accuracy may suffer.");
        }
        preMaxRtt = ms;
        return this;
    }

    private static void checkRttUnit(String option, String value, long ms) throws ScanSpecException {
        if (ms >= 50L * 1000 && !TimeSpec.hasUnit(value)) {
            String seconds = CNumberConversions.formatG(ms / 1000.0);
            throw new ScanSpecException("Since April 2010, the default unit for --" + option + " is seconds, so "
                    + "your time of \"" + value + "\" is " + seconds + " seconds. Use \"" + value + "ms\" for "
                    + seconds + " milliseconds.");
        }
    }

    public TimingOptions minRate(String value) throws ScanSpecException {
        Float rate = CNumberConversions.scanFloat(value);
        if (rate == null || !(rate > 0.0f)) {
            throw new ScanSpecException("Argument to --min-rate must be a positive floating-point number");
        }
        minRate = rate;
        return this;
    }

    public TimingOptions maxRate(String value) throws ScanSpecException {
        Float rate = CNumberConversions.scanFloat(value);
        if (rate == null || !(rate > 0.0f)) {
            throw new ScanSpecException("Argument to --max-rate must be a positive floating-point number");
        }
        maxRate = rate;
        return this;
    }

    /** Warnings nmap prints while reading these options. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Applies the delayed overrides in nmap's order and checks --min-rate against --max-rate. */
    public Timing build() {
        return resolve().timing;
    }

    /** Like {@link #build()} but reports nmap's rate-consistency error. */
    public Timing buildChecked() throws ScanSpecException {
        Resolved r = resolve();
        if (r.error.isPresent()) {
            throw new ScanSpecException(r.error.get());
        }
        return r.timing;
    }

    private record Resolved(Timing timing, Optional<String> error) {
    }

    private Resolved resolve() {
        TimingOptions t = copy();
        if (preScanDelay != -1) {
            t.scanDelay = preScanDelay;
            if (t.scanDelay > t.maxScanDelay) {
                t.maxScanDelay = t.scanDelay;
            }
        }
        if (preMaxScanDelay != -1) {
            t.maxScanDelay = preMaxScanDelay;
        }
        if (preInitialRtt != -1) {
            t.setInitialRtt(preInitialRtt);
        }
        if (preMinRtt != -1) {
            t.setMinRtt(preMinRtt);
        }
        if (preMaxRtt != -1) {
            t.setMaxRtt(preMaxRtt);
        }
        if (preMaxRetries != -1) {
            t.maxRetries = preMaxRetries;
            t.defaultMaxRetries = false;
        }
        if (preHostTimeout != -1) {
            t.hostTimeout = preHostTimeout;
        }
        Optional<String> error = Optional.empty();
        if (minRate != 0 && maxRate != 0 && minRate > maxRate) {
            error = Optional.of("--min-rate=" + CNumberConversions.formatG(minRate) + " must be less than or equal to "
                    + "--max-rate=" + CNumberConversions.formatG(maxRate));
        }
        Timing timing = new Timing(t.level, Duration.ofMillis(t.initialRtt), Duration.ofMillis(t.minRtt),
                Duration.ofMillis(t.maxRtt), t.maxRetries, Duration.ofMillis(t.scanDelay),
                Duration.ofMillis(t.maxScanDelay), Duration.ofMillis(t.hostTimeout), minRate, maxRate,
                t.defaultMaxRetries);
        return new Resolved(timing, error);
    }

    private TimingOptions copy() {
        TimingOptions c = new TimingOptions();
        c.level = level;
        c.minRtt = minRtt;
        c.maxRtt = maxRtt;
        c.initialRtt = initialRtt;
        c.maxRetries = maxRetries;
        c.defaultMaxRetries = defaultMaxRetries;
        c.scanDelay = scanDelay;
        c.maxScanDelay = maxScanDelay;
        c.hostTimeout = hostTimeout;
        return c;
    }

    // NmapOps::setMaxRttTimeout and friends: each keeps the other two consistent.
    private void setMaxRtt(long rtt) {
        maxRtt = rtt;
        if (rtt < minRtt) {
            minRtt = rtt;
        }
        if (rtt < initialRtt) {
            initialRtt = rtt;
        }
    }

    private void setMinRtt(long rtt) {
        minRtt = rtt;
        if (rtt > maxRtt) {
            maxRtt = rtt;
        }
        if (rtt > initialRtt) {
            initialRtt = rtt;
        }
    }

    private void setInitialRtt(long rtt) {
        initialRtt = rtt;
        if (rtt > maxRtt) {
            maxRtt = rtt;
        }
        if (rtt < minRtt) {
            minRtt = rtt;
        }
    }
}
