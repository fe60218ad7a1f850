package org.gammaiqa.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gammaiqa.eval.Metric;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.scoring.ScoringOptions;
import org.junit.jupiter.api.Test;

/**
 * The demo model's quality: on dead-leaves images it never saw (seeds far from training's), its score falls as the
 * distortion level rises. The measure is the SRCC between score and level (0 = the clean image … 5) within each
 * image and type, averaged. Issue #7 asks for 0.85; the committed model reaches 0.79 (0.786 over 10 images, see
 * docs/DEMO.md), so this guards against regressions at {@link #FLOOR} until a better model is trained.
 */
class DemoModelQualityTest {
    private static final double FLOOR = 0.70;
    private static final int IMAGES = 3;
    private static final int LEVELS = 5;

    @Test
    void scoresFallAsDistortionsGrow() throws Exception {
        ScoringOptions options = ScoringOptions.defaults().withCrops(CropPolicy.parse("center"));
        List<String> report = new ArrayList<>();
        double sum = 0;
        int n = 0;
        try (GammaScorer scorer = DemoModel.load(RuntimeOptions.defaults())) {
            for (int i = 0; i < IMAGES; i++) {
                RgbImage clean = DeadLeaves.draw(256, 256, new SplittableRandom(90_000 + i));
                for (Distortion d : Distortion.values()) {
                    List<RgbImage> images = new ArrayList<>(List.of(clean));
                    double[] levels = new double[LEVELS + 1];
                    for (int level = 1; level <= LEVELS; level++) {
                        images.add(d.apply(clean, level, LEVELS, new SplittableRandom(level)));
                        levels[level] = level;
                    }
                    double[] scores = scorer.score(images, options).stream().mapToDouble(r -> -r.score()).toArray();
                    double srcc = Metric.SRCC.compute(scores, levels);
                    report.add(String.format("%s %d: %.2f", d.id(), i, srcc));
                    sum += srcc;
                    n++;
                }
            }
        }
        double mean = sum / n;
        System.out.printf("demo model: mean SRCC(score, level) %.3f over %d image×type pairs%n%s%n", mean, n, report);
        assertTrue(mean >= FLOOR, "mean SRCC " + mean + " < " + FLOOR + ": " + report);
    }
}
