package io.github.jmeterportscan.jmeter.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JMeter HTML dashboard ({@code -e -o dir}) shows, read from the files it is drawn from:
 * statistics.json (the Statistics table), content/js/dashboard.js (the Errors table) and
 * content/js/customGraph.js (Charts &gt; Custom graphs). JMeter writes them in a fixed layout, so patterns suffice.
 */
record Dashboard(Path dir) {

    /** One row of the Statistics table. */
    record Row(String label, long samples, long errors) {
    }

    /** One row of the Errors table: the error type (response code/message) and how often it occurred. */
    record Error(String type, long count) {
    }

    private static final Pattern STATISTICS_ROW = Pattern.compile(
            "\"transaction\" : \"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"sampleCount\" : (\\d+),\\s*\"errorCount\" : (\\d+)");
    private static final Pattern ERRORS_TABLE = Pattern.compile("createTable\\(\\$\\(\"#errorsTable\"\\), (.*)");
    private static final Pattern ERROR_ROW = Pattern.compile("\\{\"data\": \\[\"((?:[^\"\\\\]|\\\\.)*)\", (\\d+),");
    private static final Pattern CUSTOM_SERIES = Pattern.compile(
            "\"series\": \\[\\{\"data\": \\[(.*?)\\], \"isOverall\": false, \"label\": \"([^\"]+)\"");
    private static final Pattern POINT = Pattern.compile("\\[([-0-9.E]+), ([-0-9.E]+)\\]");

    /** The Statistics table by label, with the "Total" row. */
    Map<String, Row> statistics() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        Matcher m = STATISTICS_ROW.matcher(Files.readString(dir.resolve("statistics.json")));
        while (m.find()) {
            String label = unescape(m.group(1));
            rows.put(label, new Row(label, Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
        }
        return rows;
    }

    List<Error> errors() throws IOException {
        String js = Files.readString(dir.resolve("content/js/dashboard.js"));
        Matcher table = ERRORS_TABLE.matcher(js);
        if (!table.find()) {
            throw new AssertionError("no Errors table in " + dir.resolve("content/js/dashboard.js"));
        }
        List<Error> errors = new ArrayList<>();
        Matcher row = ERROR_ROW.matcher(table.group(1));
        while (row.find()) {
            errors.add(new Error(unescape(row.group(1)), Long.parseLong(row.group(2))));
        }
        return errors;
    }

    /** The points (time, value) of the custom graph plotting sample variable {@code variable}; empty if none. */
    List<double[]> customGraph(String variable) throws IOException {
        Path file = dir.resolve("content/js/customGraph.js");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Matcher series = CUSTOM_SERIES.matcher(Files.readString(file));
        while (series.find()) {
            if (series.group(2).equals(variable)) {
                List<double[]> points = new ArrayList<>();
                Matcher point = POINT.matcher(series.group(1));
                while (point.find()) {
                    points.add(new double[] {Double.parseDouble(point.group(1)), Double.parseDouble(point.group(2))});
                }
                return points;
            }
        }
        return List.of();
    }

    private static String unescape(String json) {
        return json.replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\");
    }
}
