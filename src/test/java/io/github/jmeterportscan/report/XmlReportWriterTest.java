package io.github.jmeterportscan.report;

import io.github.jmeterportscan.testsupport.Commands;
import static io.github.jmeterportscan.report.SyntheticReports.closedExcept;
import static io.github.jmeterportscan.report.SyntheticReports.host;
import static io.github.jmeterportscan.report.SyntheticReports.report;
import static io.github.jmeterportscan.report.SyntheticReports.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jmeterportscan.result.ScanReport;
import io.github.jmeterportscan.spec.ServiceTable;
import io.github.jmeterportscan.testsupport.Privileges;
import io.github.jmeterportscan.testsupport.XmlValidation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** DTD validity and escaping on reports a live scan cannot produce on demand. */
class XmlReportWriterTest {
    @TempDir
    Path dir;

    private ReportWriters writers;

    @BeforeEach
    void setUp() {
        Privileges.require(Commands.installed("xmllint") && Files.exists(Path.of(XmlValidation.DTD)),
                "xmllint and nmap's nmap.dtd must be installed");
        writers = ReportWriters.of(ServiceTable.system()::listedName, ProgramIdentity.PORTSCAN)
                .withZone(ZoneOffset.UTC);
    }

    @Test
    void hostileTextIsEscapedAndTheDocumentStaysValid() throws Exception {
        // Quotes, markup, "--" (illegal inside the comment nmap copies the command line into),
        // non-ASCII and a control character, in the arguments and in a user hostname.
        List<String> args = List.of("-sS", "--reason", "-p", "1-40", "--script-args=a=\"<x>&'y'\"", "ü\u0001",
                "host--name");
        ScanReport report = report(request(40, 0, true, false, args), List.of("note"),
                host("127.0.0.1", Optional.of("wëird--<name>&\"'"), closedExcept(40, 22), false));
        Path xml = write(report);

        XmlValidation.assertValid(xml);
        Document doc = parse(xml);
        Element nmaprun = doc.getDocumentElement();
        assertEquals("nmap", nmaprun.getAttribute("scanner"));
        assertEquals("7.93", nmaprun.getAttribute("version"));
        // nmap's quoting: '"' and '\\' get a backslash; XML 1.0 cannot carry U+0001 at all.
        assertEquals("portscan -sS --reason -p 1-40 --script-args=a=\\\"<x>&'y'\\\" ü\\x01 host--name",
                nmaprun.getAttribute("args"));
        Element hostname = (Element) doc.getElementsByTagName("hostname").item(0);
        assertEquals("wëird--<name>&\"'", hostname.getAttribute("name"));
        assertFalse(Files.readString(xml).contains("--<"), "no raw \"--\" may reach the comment");
    }

    @Test
    void timedOutHostsAndSeveralHostsAreValid() throws Exception {
        ScanReport report = report(request(100, 0, false, false, List.of("-p", "1-100")), List.of(),
                host("127.0.0.1", Optional.empty(), closedExcept(100, 80), false),
                host("::1", Optional.of("localhost"), closedExcept(100), false),
                host("127.0.0.2", Optional.empty(), List.of(), true));
        Path xml = write(report);

        XmlValidation.assertValid(xml);
        Document doc = parse(xml);
        assertEquals(3, doc.getElementsByTagName("host").getLength());
        Element timedOut = (Element) doc.getElementsByTagName("host").item(2);
        assertEquals("true", timedOut.getAttribute("timedout"));
        assertEquals(0, timedOut.getElementsByTagName("ports").getLength());
        Element v6 = (Element) ((Element) doc.getElementsByTagName("host").item(1))
                .getElementsByTagName("address").item(0);
        assertEquals("::1", v6.getAttribute("addr"));
        assertEquals("ipv6", v6.getAttribute("addrtype"));
        Element hosts = (Element) doc.getElementsByTagName("hosts").item(0);
        assertEquals("3", hosts.getAttribute("up"));
        assertEquals("3", hosts.getAttribute("total"));
    }

    @Test
    void withoutStylesheetAndVerboseTheDocumentIsValid() throws Exception {
        ScanReport report = report(request(30, 3, false, true, List.of("-vvv", "--open")), List.of(),
                host("127.0.0.1", Optional.empty(), closedExcept(30, 7), false));
        Path xml = dir.resolve("plain.xml");
        Files.writeString(xml, writers.withStylesheet(Optional.empty()).xml().toString(report),
                StandardCharsets.UTF_8);

        XmlValidation.assertValid(xml);
        String text = Files.readString(xml);
        assertFalse(text.contains("xml-stylesheet"));
        assertTrue(text.contains("<taskend task=\"SYN Stealth Scan\""));
        assertTrue(text.contains("<!-- written by portscan "));
    }

    private Path write(ScanReport report) throws Exception {
        Path xml = dir.resolve("report.xml");
        Files.writeString(xml, writers.xml().toString(report), StandardCharsets.UTF_8);
        return xml;
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }
}
