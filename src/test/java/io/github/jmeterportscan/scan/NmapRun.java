package io.github.jmeterportscan.scan;

import io.github.jmeterportscan.result.PortState;
import io.github.jmeterportscan.result.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Runs the real nmap and reads its XML port table: the reference our scanner must equal. */
final class NmapRun {
    /** One {@code <port>} of nmap's XML. */
    record Port(int port, PortState state, Reason reason, int reasonTtl) {
    }

    /** nmap's stdout and its ports (from -oX -). */
    record Output(String xml, Map<Integer, Port> ports) {
    }

    private NmapRun() {
    }

    static boolean available() {
        try {
            Process process = new ProcessBuilder("nmap", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** {@code nmap -n -Pn -sT --reason -oX - <args>}. */
    static Output connectScan(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("nmap", "-n", "-Pn", "-sT", "--reason", "-oX", "-"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("nmap failed: " + command + "\n" + new String(out, StandardCharsets.UTF_8));
        }
        String xml = new String(out, StandardCharsets.UTF_8);
        return new Output(xml, parsePorts(out));
    }

    /** nmap's standard output for {@code nmap <args>}. */
    static String stdout(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("nmap"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("nmap failed: " + command + "\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static Map<Integer, Port> parsePorts(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // nmap's XML names its DTD; we neither fetch nor need it.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        if (document.getElementsByTagName("extraports").getLength() > 0) {
            throw new IllegalStateException("nmap folded ports into <extraports>; scan fewer ports per state");
        }
        Map<Integer, Port> ports = new TreeMap<>();
        NodeList nodes = document.getElementsByTagName("port");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element port = (Element) nodes.item(i);
            Element state = (Element) port.getElementsByTagName("state").item(0);
            int number = Integer.parseInt(port.getAttribute("portid"));
            ports.put(number, new Port(number, PortState.fromNmapName(state.getAttribute("state")),
                    Reason.fromNmapName(state.getAttribute("reason")),
                    Integer.parseInt(state.getAttribute("reason_ttl"))));
        }
        return ports;
    }
}
