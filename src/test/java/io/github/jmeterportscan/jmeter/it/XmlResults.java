package io.github.jmeterportscan.jmeter.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A JMeter XML results file ({@code jmeter.save.saveservice.output_format=xml}), which, unlike CSV, can hold each
 * sample's response data and keeps sub-samples nested in their parent.
 */
record XmlResults(List<XmlResults.Sample> samples) {

    /**
     * One {@code sample} element.
     *
     * @param bytes   the {@code by} attribute: the size of the response as the engine that sampled it counted it
     * @param data    the {@code responseData} text, empty if none was saved or received
     * @param headers the {@code responseHeader} text
     */
    record Sample(String label, boolean success, String code, String message, String thread, long bytes, String data,
            String headers, List<Sample> children) {
        /** This sample and its sub-samples, depth first. */
        Stream<Sample> flatten() {
            return Stream.concat(Stream.of(this), children.stream().flatMap(Sample::flatten));
        }
    }

    static XmlResults read(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
            return new XmlResults(samples(root));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    Stream<Sample> all() {
        return samples.stream().flatMap(Sample::flatten);
    }

    private static List<Sample> samples(Element parent) {
        List<Sample> out = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && (e.getTagName().equals("sample") || e.getTagName().equals("httpSample"))) {
                String bytes = e.getAttribute("by");
                out.add(new Sample(e.getAttribute("lb"), "true".equals(e.getAttribute("s")), e.getAttribute("rc"),
                        e.getAttribute("rm"), e.getAttribute("tn"), bytes.isEmpty() ? -1 : Long.parseLong(bytes),
                        childText(e, "responseData"), childText(e, "responseHeader"), samples(e)));
            }
        }
        return out;
    }

    private static String childText(Element parent, String tag) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent();
            }
        }
        return "";
    }
}
