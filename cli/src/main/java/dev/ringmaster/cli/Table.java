package dev.ringmaster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** An aligned table in kubectl's style: upper-case headers, columns two spaces apart, no borders. */
public final class Table {

    private record Column(String header, Function<JsonNode, String> value) {}

    private final List<Column> columns = new ArrayList<>();

    public Table col(String header, Function<JsonNode, String> value) {
        columns.add(new Column(header, value));
        return this;
    }

    /** A column showing a field as text ("" when absent or null). */
    public Table col(String header, String field) {
        return col(header, n -> text(n, field));
    }

    public void print(PrintWriter out, Iterable<JsonNode> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> clean(c.value().apply(row))).toArray(String[]::new));
        }
        int[] width = new int[columns.size()];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        return v.isArray() ? joined(v) : v.asText();
    }

    /** An array's elements, comma-separated. */
    static String joined(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(x -> parts.add(x.asText()));
        return String.join(",", parts);
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\t', ' ');
    }
}
