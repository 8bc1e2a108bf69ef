package io.github.jmeterportscan.jmeter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jmeter.save.CSVSaveService;

/** The rows of a CSV JTL, each as column name → value, read with JMeter's own CSV reader. */
final class Jtl {
    private Jtl() {
    }

    static List<Map<String, String>> read(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] header = CSVSaveService.csvReadFile(in, ',');
            for (int guard = 0; guard < 1_000_000; guard++) {
                String[] fields = CSVSaveService.csvReadFile(in, ',');
                if (fields.length == 0) {
                    break;
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length && i < fields.length; i++) {
                    row.put(header[i], fields[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static List<Map<String, String>> labelled(List<Map<String, String>> rows, String label) {
        return rows.stream().filter(r -> label.equals(r.get("label"))).toList();
    }
}
