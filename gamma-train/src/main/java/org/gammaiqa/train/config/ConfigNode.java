package org.gammaiqa.train.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a YAML config, read key by key: every key read (or declared ignored) is remembered, so
 * that {@link #finish()} can report the keys nobody asked for by their full path. Problems are collected
 * in a list shared by the whole document instead of stopping at the first.
 */
final class ConfigNode {
    private final String path;
    private final Map<String, Object> map;
    private final List<String> problems;
    private final Set<String> seen = new LinkedHashSet<>();

    ConfigNode(String path, Map<?, ?> map, List<String> problems) {
        this.path = path;
        this.map = new LinkedHashMap<>();
        map.forEach((k, v) -> this.map.put(String.valueOf(k), v));
        this.problems = problems;
    }

    String where(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        seen.add(key);
        return map.get(key) != null;
    }

    Set<String> keys() {
        return map.keySet();
    }

    /** Keys the original accepts but that do not change what this implementation computes. */
    void ignore(String... keys) {
        seen.addAll(List.of(keys));
    }

    void problem(String key, String message) {
        problems.add(where(key) + ": " + message);
    }

    ConfigNode node(String key) {
        seen.add(key);
        Object v = map.get(key);
        if (v == null) {
            return new ConfigNode(where(key), Map.of(), problems);
        }
        if (!(v instanceof Map<?, ?> m)) {
            problem(key, "is " + describe(v) + ", expected a mapping of keys");
            return new ConfigNode(where(key), Map.of(), problems);
        }
        return new ConfigNode(where(key), m, problems);
    }

    String string(String key, String fallback) {
        seen.add(key);
        Object v = map.get(key);
        return v == null ? fallback : String.valueOf(v).strip();
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isEmpty()) {
            problem(key, "is missing, expected a value");
        }
        return s;
    }

    boolean bool(String key, boolean fallback) {
        seen.add(key);
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problem(key, "is " + describe(v) + ", expected true or false");
        return fallback;
    }

    double number(String key, double fallback) {
        seen.add(key);
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            problem(key, "is " + describe(v) + ", expected a number");
            return fallback;
        }
    }

    int integer(String key, int fallback) {
        double d = number(key, fallback);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            problem(key, "is " + d + ", expected a whole number");
            return fallback;
        }
        return (int) d;
    }

    /** A two-element list of numbers, e.g. {@code mos_range: [0, 100]}. */
    double[] range(String key) {
        seen.add(key);
        Object v = map.get(key);
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new double[] {a.doubleValue(), b.doubleValue()};
        }
        problem(key, "is " + describe(v) + ", expected [low, high], e.g. [0, 100]");
        return null;
    }

    /** Reports every key of this mapping that was neither read nor declared ignored. */
    void finish() {
        for (String k : map.keySet()) {
            if (!seen.contains(k)) {
                problem(k, "unknown key (not an option of the original configs this reader supports; check its spelling)");
            }
        }
    }

    static String describe(Object v) {
        return v == null ? "missing" : v instanceof Map ? "a mapping" : v instanceof List ? "a list " + v : "'" + v + "'";
    }

    static List<String> newProblems() {
        return new ArrayList<>();
    }
}
