package org.gammaiqa.train.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Validation ({@code val}): every {@code val_freq_epoch} epochs and at the end; {@code best} is kept by the key
 * metric's mean over the validation sets.
 */
public record ValidationConfig(int valFreqEpoch, String keyMetric, List<String> metrics) {
    public ValidationConfig {
        metrics = List.copyOf(metrics);
    }

    static ValidationConfig parse(ConfigNode root) {
        ConfigNode valNode = root.node("val");
        valNode.ignore("val_type", "val_freq", "save_img", "pbar");
        int valFreq = valNode.integer("val_freq_epoch", 1);
        String key = valNode.string("key_metric", "srcc");
        if (!List.of("srcc", "plcc", "krcc").contains(key)) {
            valNode.problem("key_metric", "is '" + key + "'; expected srcc (the release), plcc or krcc: higher must be better");
        }
        List<String> metrics = new ArrayList<>();
        ConfigNode m = valNode.node("metrics");
        for (String metric : List.copyOf(m.keys())) {
            ConfigNode one = m.node(metric);
            String type = one.string("type", "calculate_" + metric);
            if (!type.equals("calculate_" + metric) || !List.of("srcc", "plcc", "krcc", "rmse").contains(metric)) {
                m.problem(metric, "type '" + type + "' is not supported; expected srcc, plcc, krcc or rmse with type calculate_<name>");
            }
            one.finish();
            metrics.add(metric);
        }
        m.finish();
        valNode.finish();
        return new ValidationConfig(valFreq, key, metrics);
    }
}
