package org.gammaiqa.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gammaiqa.checkpoint.SafeUnpickler;

/** pyiqa's dataset files: the meta-info CSV (header row, then one image per row) and the pickled split file. */
final class MetaInfo {
    private MetaInfo() {}

    /** A meta-info CSV: its header fields and its data rows, each split into fields. */
    record Table(List<String> header, List<List<String>> rows) {
        /** Index of the header column named {@code name}, or -1. */
        int column(String name) {
            return header.indexOf(name);
        }
    }

    /** Reads a CSV with a header row; RFC 4180 quoting is understood, a byte-order mark and blank lines ignored. */
    static Table readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new ConfigException(file + " is empty; expected a header row, then one image per row");
        }
        String first = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(fields(lines.get(i)));
            }
        }
        return new Table(fields(first), rows);
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().strip());
        return out;
    }

    /**
     * Row numbers of one split: {@code pickle[splitIndex][list]}. The pickle is read with the checkpoint reader's
     * allow-list unpickler (any protocol; nothing is executed).
     */
    static List<Integer> readSplit(Path file, int splitIndex, String list) throws IOException {
        Object root;
        try {
            root = SafeUnpickler.loadData(Files.readAllBytes(file));
        } catch (RuntimeException e) {
            throw new ConfigException(file + ": not a readable split pickle (" + e.getMessage()
                    + "); expected {split_index: {\"train\": [rows], \"val\": [...], \"test\": [...]}} as pyiqa writes");
        }
        if (!(root instanceof Map<?, ?> splits)) {
            throw new ConfigException(file + " holds " + describe(root) + ", expected a dict {split_index: {...}}");
        }
        Object split = null;
        for (Map.Entry<?, ?> e : splits.entrySet()) {
            if (e.getKey() instanceof Number n && n.longValue() == splitIndex) {
                split = e.getValue();
            }
        }
        if (!(split instanceof Map<?, ?> lists)) {
            throw new ConfigException(file + " has no split " + splitIndex + " (it has " + splits.keySet()
                    + "); set split_index to one of those");
        }
        Object rows = lists.get(list);
        if (!(rows instanceof List<?> l)) {
            throw new ConfigException(file + " split " + splitIndex + " has no '" + list + "' list (it has "
                    + lists.keySet() + ")");
        }
        List<Integer> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (!(o instanceof Number n)) {
                throw new ConfigException(file + " split " + splitIndex + " '" + list + "' holds " + describe(o)
                        + ", expected row numbers (ints)");
            }
            out.add(n.intValue());
        }
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
