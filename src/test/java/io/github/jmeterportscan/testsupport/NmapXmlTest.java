package io.github.jmeterportscan.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parser's own rules on small documents in nmap's format; agreement with real nmap output is
 * covered by {@link NetnsLabTest}.
 */
class NmapXmlTest {
    @TempDir
    Path dir;

    private Path write(String hostBody) throws IOException {
        Path file = dir.resolve("scan.xml");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE nmaprun>
                <nmaprun scanner="nmap" args="nmap -sS" version="7.93" xmloutputversion="1.05">
                <scaninfo type="syn" protocol="tcp" numservices="10" services="1-8,80,443"/>
                <host><status state="up" reason="user-set" reason_ttl="0"/>
                <address addr="2001:db8:20::2" addrtype="ipv6"/>
                <ports>%s</ports>
                </host>
                <runstats><finished time="1" exit="success"/></runstats>
                </nmaprun>
                """.formatted(hostBody));
        return file;
    }

    @Test
    void listedExtraportsExpandToTheirPorts() throws IOException {
        NmapRun run = NmapXml.parse(write("""
                <extraports state="closed" count="7">
                <extrareasons reason="reset" count="6" proto="tcp" ports="1-5,443"/>
                <extrareasons reason="port-unreach" count="1" proto="tcp" ports="8"/>
                </extraports>
                <extraports state="filtered" count="2">
                <extrareasons reason="no-response" count="2" proto="tcp" ports="6-7"/>
                </extraports>
                <port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/></port>
                """));
        NmapHost host = run.onlyHost();
        assertEquals("ipv6", host.addressType());
        assertEquals(10, host.tcp().size());
        assertEquals(new NmapPort(80, "tcp", PortState.OPEN, Reason.SYN_ACK, 64, false), host.tcp(80));
        assertEquals(new NmapPort(443, "tcp", PortState.CLOSED, Reason.RESET, 0, true), host.tcp(443));
        assertEquals(Outcome.of(PortState.FILTERED, Reason.NO_RESPONSE), host.tcp(7).outcome());
        assertEquals(Outcome.of(PortState.CLOSED, Reason.PORT_UNREACH), host.tcp(8).outcome());
    }

    @Test
    void anUnlistedGroupTakesEveryOtherScannedPort() throws IOException {
        NmapRun run = NmapXml.parse(write("""
                <extraports state="closed" count="9">
                <extrareasons reason="resets" count="9"/>
                </extraports>
                <port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/></port>
                """));
        NmapHost host = run.onlyHost();
        assertEquals(10, host.tcp().size());
        assertTrue(host.tcp().values().stream().filter(p -> p.port() != 80)
                .allMatch(p -> p.outcome().equals(Outcome.of(PortState.CLOSED, Reason.RESET)) && p.collapsed()));
    }

    @Test
    void runAndHostDetailsAreRead() throws IOException {
        Path file = dir.resolve("details.xml");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <nmaprun scanner="nmap" args="nmap -sS localhost" start="1700000000" version="7.93">
                <scaninfo type="syn" protocol="tcp" numservices="1" services="80"/>
                <host starttime="1700000001" endtime="1700000002" timedout="true">
                <status state="up" reason="user-set" reason_ttl="0"/>
                <address addr="127.0.0.1" addrtype="ipv4"/>
                <hostnames><hostname name="localhost" type="user"/><hostname name="lh" type="PTR"/></hostnames>
                <times srtt="120" rttvar="3000" to="100000"/>
                </host>
                <runstats><finished time="1700000003" elapsed="2.57" exit="success"/></runstats>
                </nmaprun>
                """);
        NmapRun run = NmapXml.parse(file);
        assertEquals(1700000000L, run.start());
        assertEquals(2.57, run.elapsed());
        NmapHost host = run.onlyHost();
        assertEquals(Optional.of("localhost"), host.userHostname());
        assertEquals(1700000001L, host.startTime());
        assertEquals(1700000002L, host.endTime());
        assertTrue(host.timedOut());
        assertEquals(Optional.of(new NmapHost.Times(120, 3000, 100000)), host.times());
        assertTrue(host.ports().isEmpty(), "a timed-out host may have no <ports>");
    }

    @Test
    void aCountThatDoesNotAddUpIsAnError() throws IOException {
        Path file = write("""
                <extraports state="closed" count="5">
                <extrareasons reason="reset" count="5"/>
                </extraports>
                """);
        NmapXmlException e = assertThrows(NmapXmlException.class, () -> NmapXml.parse(file));
        assertTrue(e.getMessage().contains("counts 5"), e.getMessage());
    }
}
