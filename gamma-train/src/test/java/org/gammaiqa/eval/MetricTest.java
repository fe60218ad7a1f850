package org.gammaiqa.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The metrics against scipy on random data with ties (src/test/resources/eval/make_metric_cases.py). */
class MetricTest {
    @Test
    void equalScipyOnDataWithTies() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/eval/metric_cases.json")) {
            root = new ObjectMapper().readTree(in);
        }
        double worst = 0;
        for (JsonNode c : root.get("cases")) {
            double[] p = doubles(c.get("pred"));
            double[] y = doubles(c.get("mos"));
            for (Metric m : Metric.values()) {
                double expected = c.get(m.id()).asDouble();
                double actual = m.compute(p, y);
                assertThat(actual).as("%s on n=%d", m, p.length).isCloseTo(expected, within(1e-12));
                worst = Math.max(worst, Math.abs(actual - expected));
            }
        }
        assertThat(root.get("cases")).hasSize(4);
        System.out.println("largest metric difference from scipy: " + worst);
    }

    @Test
    void constantPredictionsHaveNoCorrelation() {
        double[] y = {0.1, 0.5, 0.3};
        double[] p = {0.2, 0.2, 0.2};
        assertThat(Metric.SRCC.compute(p, y)).isNaN();
        assertThat(Metric.PLCC.compute(p, y)).isNaN();
        assertThat(Metric.RMSE.compute(p, y)).isCloseTo(Math.sqrt((0.01 + 0.09 + 0.01) / 3), within(1e-15));
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
