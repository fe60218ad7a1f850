package org.gammaiqa.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** Results on several datasets, with the mean of each metric across them, written as a table, CSV or JSON. */
public record EvalReport(List<DatasetResult> datasets) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EvalReport {
        datasets = List.copyOf(datasets);
    }

    /** Mean of {@code metric} over the datasets (NaN if there are none). */
    public double mean(Metric metric) {
        return datasets.stream().mapToDouble(d -> d.model().get(metric)).average().orElse(Double.NaN);
    }

    /** Output formats of {@code gamma eval --format}. */
    public enum Format { TABLE, CSV, JSON }

    public String format(Format format) {
        return switch (format) {
            case TABLE -> table();
            case CSV -> csv();
            case JSON -> json().toPrettyString();
        };
    }

    /** A fixed-width table: one row per dataset and its mean-MOS baseline, then the mean over datasets. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %-10s %6s %7s %7s %7s %7s%n",
                "dataset", "scene", "n", "SRCC", "PLCC", "KRCC", "RMSE"));
        for (DatasetResult d : datasets) {
            row(sb, d.dataset(), d.scene(), d.n(), d.model().get(Metric.SRCC), d.model().get(Metric.PLCC),
                    d.model().get(Metric.KRCC), d.model().get(Metric.RMSE));
            row(sb, "  mean-MOS", "baseline", d.n(), d.baseline().get(Metric.SRCC), d.baseline().get(Metric.PLCC),
                    d.baseline().get(Metric.KRCC), d.baseline().get(Metric.RMSE));
        }
        row(sb, "mean", "", datasets.stream().mapToInt(DatasetResult::n).sum(), mean(Metric.SRCC), mean(Metric.PLCC),
                mean(Metric.KRCC), mean(Metric.RMSE));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String scene, int n, double... v) {
        sb.append(String.format(Locale.ROOT, "%-16s %-10s %6d", name, scene, n));
        for (double x : v) {
            sb.append(Double.isNaN(x) ? String.format(Locale.ROOT, " %7s", "—") : String.format(Locale.ROOT, " %7.4f", x));
        }
        sb.append('\n');
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("dataset,scene,model,n,srcc,plcc,krcc,rmse\n");
        for (DatasetResult d : datasets) {
            csvRow(sb, d, "gamma", d.model());
            csvRow(sb, d, "mean-mos", d.baseline());
        }
        return sb.toString();
    }

    private static void csvRow(StringBuilder sb, DatasetResult d, String model, java.util.Map<Metric, Double> m) {
        sb.append(d.dataset()).append(',').append(d.scene()).append(',').append(model).append(',').append(d.n());
        for (Metric metric : Metric.values()) {
            double v = m.get(metric);
            sb.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
        }
        sb.append('\n');
    }

    /** {"datasets": [{dataset, scene, n, srcc, …, baseline: {…}}], "mean": {srcc, …}}; NaN is written as null. */
    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("datasets");
        for (DatasetResult d : datasets) {
            ObjectNode o = list.addObject().put("dataset", d.dataset()).put("scene", d.scene()).put("n", d.n());
            metrics(o, d.model());
            metrics(o.putObject("baseline_mean_mos"), d.baseline());
        }
        ObjectNode mean = root.putObject("mean");
        for (Metric m : Metric.values()) {
            put(mean, m.id(), mean(m));
        }
        return root;
    }

    private static void metrics(ObjectNode o, java.util.Map<Metric, Double> m) {
        for (Metric metric : Metric.values()) {
            put(o, metric.id(), m.get(metric));
        }
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
