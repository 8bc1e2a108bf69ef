/**
 * Test support: real networks and the real nmap for the scanners' integration tests.
 *
 * <ul>
 * <li>{@link io.github.jmeterportscan.testsupport.NetnsLab}: a network namespace behind a veth
 * pair whose ports behave as a {@link io.github.jmeterportscan.testsupport.LabPortPlan} says;
 * {@link io.github.jmeterportscan.testsupport.LabLayouts#standard()} has every kind on a few
 * ports. Builder options cover the other layouts tests need: addresses routed through the
 * namespace as a gateway, extra veth pairs, real ARP/NDP instead of permanent neighbour entries,
 * the kernel's ICMP rate limits, and a loopback-only namespace to run tools in.</li>
 * <li>{@link io.github.jmeterportscan.testsupport.LabPortPlan#expected} /
 * {@link io.github.jmeterportscan.testsupport.NmapTruth}: what nmap reports for each port, per
 * scan type and family, as an {@link io.github.jmeterportscan.testsupport.Expectation} (a set of
 * acceptable outcomes; more than one only where the kernel races).</li>
 * <li>{@link io.github.jmeterportscan.testsupport.NmapRunner} runs the real nmap;
 * {@link io.github.jmeterportscan.testsupport.NmapXml} reads nmap-format XML (nmap's or ours)
 * with collapsed ports expanded (report tests turn it into a {@code ScanReport});
 * {@link io.github.jmeterportscan.testsupport.NmapRunner#ndiff} and
 * {@link io.github.jmeterportscan.testsupport.XmlValidation} compare and validate XML.</li>
 * <li>{@link io.github.jmeterportscan.testsupport.Commands} starts every external process the tests
 * need: commands run to completion (with a deadline, output drained), and processes that run beside
 * a test (listeners, captures, JMeter, a scan under test), which {@code Commands.stop} ends with
 * their children. Nothing else in the tests starts processes.</li>
 * <li>{@link io.github.jmeterportscan.testsupport.ResultsFile} reads JMeter's CSV results files,
 * embedded JMeter's and an installed JMeter's alike.</li>
 * </ul>
 *
 * <p>Typical use in a JUnit 5 class (give each test class its own prefix and address blocks, so
 * classes never clash, and build one lab per class: two labs cannot share a block):
 *
 * <pre>{@code
 * class SynScanLabTest {
 *     static NetnsLab lab;
 *
 *     @BeforeAll
 *     static void lab() {
 *         Privileges.requireRoot("raw packets into a network namespace");
 *         NetnsLab.cleanupLeftovers("ps-syn-");
 *         lab = NetnsLab.builder().prefix("ps-syn-")
 *                 .subnets("198.18.30.0/24", "2001:db8:30::/64")
 *                 .plan(LabLayouts.standard())
 *                 .start();
 *     }
 *
 *     @AfterAll
 *     static void close() {
 *         if (lab != null) lab.close();
 *     }
 *
 *     @Test
 *     void agreesWithNmap() {
 *         String target = lab.target(IpFamily.V4).getHostAddress();
 *         NmapRun ours = NmapXml.parse(runOurScanner("-sS", "-p", lab.plan().nmapPortList(), target));
 *         NmapRun nmap = NmapRunner.scanLab(Duration.ofSeconds(60), ScanType.SYN, IpFamily.V4,
 *                 lab.plan().nmapPortList(), target);
 *         lab.plan().expected(ScanType.SYN, IpFamily.V4).forEach((port, expectation) ->
 *                 assertTrue(expectation.accepts(ours.host(target).tcp(port).outcome())));
 *         assertEquals(nmap.host(target).tcpOutcomes(), ours.host(target).tcpOutcomes());
 *     }
 * }
 * }</pre>
 */
package io.github.jmeterportscan.testsupport;
