package org.gammaiqa.eval;

import java.util.EnumMap;
import java.util.Map;

/**
 * One dataset's evaluation: every metric of the model's predictions against the normalised MOS, and the same
 * metrics for the trivial baseline that predicts the mean MOS of the set (its correlations are undefined, NaN).
 */
public record DatasetResult(String dataset, String scene, int n, Map<Metric, Double> model, Map<Metric, Double> baseline,
                            double[] predictions, double[] mos) {
    public DatasetResult {
        model = Map.copyOf(model);
        baseline = Map.copyOf(baseline);
    }

    /** Computes all metrics for predictions against MOS (both on the normalised 0–1 scale). */
    public static DatasetResult of(String dataset, String scene, double[] predictions, double[] mos) {
        Map<Metric, Double> model = new EnumMap<>(Metric.class);
        Map<Metric, Double> baseline = new EnumMap<>(Metric.class);
        double mean = java.util.Arrays.stream(mos).average().orElse(Double.NaN);
        double[] constant = new double[mos.length];
        java.util.Arrays.fill(constant, mean);
        for (Metric m : Metric.values()) {
            model.put(m, m.compute(predictions, mos));
            baseline.put(m, m.compute(constant, mos));
        }
        return new DatasetResult(dataset, scene, mos.length, model, baseline, predictions.clone(), mos.clone());
    }
}
