package org.gammaiqa.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a HELP, a TYPE or a
 * sample in the format's grammar, every sample must belong to a family whose TYPE came before it, no family is
 * declared twice, no series appears twice, and a histogram's buckets must be cumulative with the +Inf bucket equal to
 * its count. Anything else fails with the line and what is wrong with it.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|\\d+(\\.\\d*)?([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");

    private PrometheusText() {}

    /** The samples of a scrape, by series ({@code name{labels}} as written), after checking the whole text. */
    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a newline");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                check(helps.put(m.group(1), m.group(2)) == null, i, line, "a second HELP for " + m.group(1));
            } else if ((m = TYPE.matcher(line)).matches()) {
                check(types.put(m.group(1), m.group(2)) == null, i, line, "a second TYPE for " + m.group(1));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String type = types.get(family(name, types));
                check(type != null, i, line, "a sample of a family with no TYPE before it");
                if (m.group(3) != null && !m.group(3).isEmpty()) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int at = 0;
                    while (at < m.group(3).length()) {
                        check(l.find(at) && l.start() == at, i, line, "a malformed label set");
                        at = l.end();
                    }
                }
                check(VALUE.matcher(m.group(4)).matches(), i, line, "a value that is not a float: " + m.group(4));
                double value = m.group(4).endsWith("Inf") ? (m.group(4).startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                        : Double.parseDouble(m.group(4));
                String series = name + (m.group(2) == null ? "" : m.group(2));
                check(samples.put(series, value) == null, i, line, "a series written twice");
            } else {
                throw new AssertionError("line " + (i + 1) + " is not in the Prometheus text format: '" + line + "'");
            }
        }
        types.forEach((family, type) -> {
            if (type.equals("histogram")) {
                checkHistogram(family, samples);
            }
        });
        return samples;
    }

    /** The family a sample belongs to: its name, or its name less a suffix its family's type gives it. */
    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (!name.endsWith(suffix)) {
                continue;
            }
            String type = types.get(name.substring(0, name.length() - suffix.length()));
            if (name.endsWith(suffix) && ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket"))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static void checkHistogram(String family, Map<String, Double> samples) {
        Map<String, Double> previous = new LinkedHashMap<>();
        samples.forEach((series, value) -> {
            if (!series.startsWith(family + "_bucket")) {
                return;
            }
            String labels = series.substring(series.indexOf('{') + 1, series.lastIndexOf("le=")); // the series' other labels
            Double before = previous.put(labels, value);
            if (before != null && value < before) {
                throw new AssertionError(series + " = " + value + " is below the bucket before it (" + before + "): buckets must be cumulative");
            }
            if (series.endsWith("le=\"+Inf\"}")) {
                String count = family + "_count" + (labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}");
                if (!value.equals(samples.get(count))) {
                    throw new AssertionError(series + " = " + value + " differs from " + count + " = " + samples.get(count));
                }
            }
        });
    }

    private static void check(boolean ok, int line, String text, String what) {
        if (!ok) {
            throw new AssertionError("line " + (line + 1) + " has " + what + ": '" + text + "'");
        }
    }
}
