/**
 * The JMeter side: the only package that imports {@code org.apache.jmeter}.
 *
 * <h2>Elements</h2>
 * <ul>
 *   <li>{@link io.github.jmeterportscan.jmeter.PortScanSampler} — Add &gt; Sampler &gt; "Port Scan
 *       (Nmap)". A TestBean: its form comes from {@code PortScanSamplerBeanInfo} and
 *       {@code PortScanSamplerResources.properties}. Every field is a string that may hold JMeter
 *       variables and functions; the fields become an nmap command line, checked by
 *       {@code NmapCommandLine} with nmap's messages. A non-blank "nmap options" line replaces the
 *       ports, scan, timing and interface fields.</li>
 *   <li>{@link io.github.jmeterportscan.jmeter.PortStateAssertion} — Add &gt; Assertions &gt; "Port
 *       State Assertion": an expected-state matrix and/or a baseline nmap XML file.</li>
 * </ul>
 *
 * <h2>What a sample says</h2>
 * <ul>
 *   <li>Response code: the port's state ({@code open}, {@code closed}, {@code filtered},
 *       {@code unfiltered}); for several ports the count per state, {@code open=3 closed=997}.</li>
 *   <li>Response message: nmap's reason ({@code syn-ack ttl 64}, {@code reset ttl 64},
 *       {@code conn-refused}, {@code no-response}); for several ports the count per reason.</li>
 *   <li>Latency and connect time: the probe's round-trip time in ms (for several ports, the
 *       slowest answered probe); elapsed: the scan (per-port samples: the probe's RTT, or the
 *       host's scan time for a probe nothing answered).</li>
 *   <li>Success: every port in its expected state ("Expected states", default {@code open}); a
 *       differing port is named in an assertion result "Expected port states", so it shows in the
 *       JTL's failureMessage.</li>
 *   <li>Response data: nmap's normal output ({@code -oN}), readable in View Results Tree. Response
 *       headers: one {@code X-PortScan-Port: <address> <port> <state> <reason> <ttl> <rtt-us>} line
 *       per port ({@link io.github.jmeterportscan.jmeter.ScanOutcome}), what the assertion reads.
 *       nmap XML goes to a file ("Save nmap XML to", or {@code -oX} in the options line).</li>
 *   <li>Granularity "per port": a container sample whose message starts with JMeter's
 *       "Number of samples in transaction : " (so the HTML dashboard leaves it out of its totals),
 *       with one unrenamed sub-sample per probe labelled {@code host:port/tcp}
 *       ({@code [v6]:port/tcp}); "per host" likewise with one sub-sample per host.</li>
 *   <li>Errors: failed sample, response code {@code InvalidSpec}, {@code OutOfScope} (a target
 *       outside the engine's {@code portscan.scope}: nothing was sent), {@code ScanError},
 *       {@code OutputError} or {@code Interrupted}, message = nmap's text (or the refusal);
 *       logged once per distinct message; the plan goes on.</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * One engine per JVM ({@code ScanEngines.standard()}). The sampler is a TestStateListener: from
 * test start to test end it holds a capture retention ({@code Links.retainCaptures()}), so
 * consecutive scans of many threads share the capture handles instead of reopening them.
 */
package io.github.jmeterportscan.jmeter;
