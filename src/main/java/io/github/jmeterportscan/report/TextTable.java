package io.github.jmeterportscan.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The column layout of nmap's port table: each column as wide as its widest cell, one space
 * between columns, and no padding after the last non-empty cell of a row (so lines carry no
 * trailing blanks). An empty cell before a later non-empty one is padded like any other.
 */
final class TextTable {
    private final int columns;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(int columns) {
        this.columns = columns;
    }

    void addRow(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
    }

    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            int last = -1;
            for (int c = 0; c < columns; c++) {
                if (!row[c].isEmpty()) {
                    last = c;
                }
            }
            if (last < 0) {
                continue; // nmap skips rows with no content at all
            }
            for (int c = 0; c <= last; c++) {
                out.append(row[c]);
                for (int pad = c < last ? widths[c] - row[c].length() + 1 : 0; pad > 0; pad--) {
                    out.append(' ');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
