package io.github.jmeterportscan.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JMeter CSV results file (.jtl): one {@link Sample} per row, header names as keys. The one
 * reader of results files for the tests, embedded JMeter's and an installed JMeter's alike.
 */
public record ResultsFile(List<Sample> samples) {

    /** One row; {@code columns} also holds the sample_variables columns (portscan_open_count, ...). */
    public record Sample(Map<String, String> columns) {
        /** The value of a column, or null when the file has no such column. */
        public String get(String column) {
            return columns.get(column);
        }

        public String label() {
            return columns.getOrDefault("label", "");
        }

        public String threadName() {
            return columns.getOrDefault("threadName", "");
        }

        /** Same criterion as jmeter-maven-plugin's results goal: the success column. */
        public boolean success() {
            return "true".equals(columns.get("success"));
        }

        public String failureMessage() {
            return columns.getOrDefault("failureMessage", "");
        }

        public String responseCode() {
            return columns.getOrDefault("responseCode", "");
        }

        public String responseMessage() {
            return columns.getOrDefault("responseMessage", "");
        }

        /**
         * A per-port or per-host scan's container row: its message starts with the Transaction Controller's phrase,
         * by which the dashboard leaves it out of its totals.
         */
        public boolean isContainer() {
            return responseMessage().startsWith(CONTAINER_PREFIX);
        }

        /** The number of sub-samples a container announces ("Number of samples in transaction : N, ..."). */
        public int containerSize() {
            Matcher m = CONTAINER_SIZE.matcher(responseMessage());
            if (!m.find()) {
                throw new AssertionError("not a container: " + this);
            }
            return Integer.parseInt(m.group(1));
        }

        public boolean isProbe() {
            return PROBE_LABEL.matcher(label()).matches();
        }

        /** The value of a sample variable; JMeter writes "null" for a variable that was never set. */
        public Optional<String> variable(String name) {
            String value = columns.get(name);
            return value == null || value.isEmpty() || "null".equals(value) ? Optional.empty() : Optional.of(value);
        }

        @Override
        public String toString() {
            return label() + " [" + threadName() + "] " + responseCode() + " "
                    + (success() ? "ok" : "FAILED: " + failureMessage());
        }
    }

    public static final String CONTAINER_PREFIX = "Number of samples in transaction : ";
    private static final Pattern CONTAINER_SIZE = Pattern.compile("^Number of samples in transaction : (\\d+),");
    /** host:port/tcp, the host an IPv4 address or a bracketed IPv6 one. */
    public static final Pattern PROBE_LABEL = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+\\]):\\d{1,5}/tcp");

    /** A per-port scan as the results file holds it: the container row and the sub-sample rows written after it. */
    public record Scan(Sample container, List<Sample> probes) {
    }

    /**
     * The per-port scans: each container row and the next rows of the same thread, as many as it
     * announces. JMeter writes a sample and then its sub-results with one println each (5.6.3's
     * CSVSaveService.saveSampleResult), so another thread's rows may come in between, but a
     * thread's own rows keep their order. Fails if those rows are not the container's own.
     */
    public List<Scan> scans() {
        List<Scan> scans = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample container = samples.get(i);
            if (!container.isContainer()) {
                continue;
            }
            int n = container.containerSize();
            List<Sample> probes = new ArrayList<>(n);
            for (int j = i + 1; j < samples.size() && probes.size() < n; j++) {
                Sample row = samples.get(j);
                if (!row.threadName().equals(container.threadName())) {
                    continue;
                }
                if (row.isContainer()) {
                    throw new AssertionError("row " + row + " follows container " + container + " in its thread before"
                            + " the container's own rows");
                }
                probes.add(row);
            }
            if (probes.size() < n) {
                throw new AssertionError("container " + container + " announces " + n + " rows; its thread wrote "
                        + probes.size() + " before the file ended");
            }
            scans.add(new Scan(container, List.copyOf(probes)));
        }
        return scans;
    }

    public static ResultsFile read(Path csv) throws IOException {
        List<List<String>> rows = parse(Files.readString(csv, StandardCharsets.UTF_8));
        if (rows.isEmpty()) {
            return new ResultsFile(List.of());
        }
        List<String> header = rows.get(0);
        List<Sample> samples = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> columns = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < row.size(); i++) {
                columns.put(header.get(i), row.get(i));
            }
            samples.add(new Sample(Collections.unmodifiableMap(columns)));
        }
        return new ResultsFile(List.copyOf(samples));
    }

    public List<Sample> failures() {
        return samples.stream().filter(sample -> !sample.success()).toList();
    }

    public List<Sample> labelled(String label) {
        return labelled(samples, label);
    }

    /** The rows of {@code rows} with this label, in file order. */
    public static List<Sample> labelled(List<Sample> rows, String label) {
        return rows.stream().filter(sample -> sample.label().equals(label)).toList();
    }

    /** RFC 4180 style, as JMeter writes it: quotes around fields with a comma, quote or line break. */
    private static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
