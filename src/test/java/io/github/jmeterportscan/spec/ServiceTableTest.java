package io.github.jmeterportscan.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a file in nmap-services format: the lines nmap takes, the ones it skips, and its order. */
class ServiceTableTest {
    @TempDir
    Path dir;

    private ServiceTable table(String... lines) throws IOException {
        Path file = dir.resolve("nmap-services");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
        return ServiceTable.load(file);
    }

    @Test
    void takesTheFirstLineOfEachPortAndProtocolAndSkipsWhatNmapSkips() throws IOException {
        ServiceTable t = table(
                "# comment line",
                "",
                "   ",
                "http\t80/tcp\t0.484143\t# World Wide Web HTTP",
                "www\t80/tcp\t0.9\t# a later line for the same port: ignored",
                "http  80/udp 0.035767",
                "  sctp-http 80/sctp 0.000001",
                "ddp-thing 80/ddp 0.5",
                "toolarge 70000/tcp 0.5",
                "nonumber x/tcp 0.5",
                "noproto 81",
                "upper 82/TCP 0.1",
                "signed +83/tcp 0.1",
                "zero 0/tcp 0.0",
                "nb 84/tcp 3/1000 # n/d ratio");
        assertEquals("http", t.nameOf(80));
        assertTrue(t.contains(80, "udp"));
        assertTrue(t.contains(80, "sctp"));
        assertFalse(t.contains(80, "ddp"));
        assertEquals(ServiceTable.UNKNOWN, t.nameOf(81));
        assertEquals("upper", t.nameOf(82));
        assertEquals("signed", t.nameOf(83));
        assertEquals("zero", t.nameOf(0));
        assertEquals(ServiceTable.UNKNOWN, t.nameOf(70000));
        assertEquals(5, t.tcpCount());
        assertTrue(t.hasFrequencies());
        assertArrayEquals(new int[] {80, 82, 83, 84, 0}, t.tcpPortsByFrequency());
    }

    @Test
    void equalRatiosKeepTheFilesOrder() throws IOException {
        ServiceTable t = table("c 30/tcp 0.25", "a 10/tcp 0.5", "b 20/tcp 0.25", "d 5/tcp 0.25");
        assertArrayEquals(new int[] {10, 30, 20, 5}, t.tcpPortsByFrequency());
    }

    @Test
    void masksMatchNamesOfTheirProtocolOnly() throws IOException {
        ServiceTable t = table("http 80/tcp", "https 443/tcp", "http 8080/udp", "ssh 22/tcp");
        BitSet http = t.portsMatching("http*", "tcp");
        assertTrue(http.get(80) && http.get(443) && !http.get(8080) && !http.get(22));
        assertTrue(t.portsMatching("http", "udp").get(8080));
        assertFalse(t.hasFrequencies());
    }

    @Test
    void aBrokenRatioIsAnErrorNamingTheFile() {
        IOException e = assertThrows(IOException.class, () -> table("x 1/tcp 3/0x"));
        assertTrue(e.getMessage().contains("invalid port ratio string: 3/0x"), e.getMessage());
    }
}
