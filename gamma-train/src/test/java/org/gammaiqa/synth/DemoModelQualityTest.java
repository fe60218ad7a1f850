package org.gammaiqa.synth;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The demo model's quality: on procedural images it never saw (seeds far from training's), its score falls as the
 * distortion level rises. The measure (docs/DEMO.md, "Quality"): the SRCC between score and level (0 = the clean
 * image … 5) within each image and type, averaged. The goal is 0.85 on photographs; the committed model does not reach it
 * (docs/DEMO.md: 0.64 on 23 photographs, 0.82 on 10 photo-like scenes), so this guards floors just under what it
 * measures here, on 3 images per style with a centre crop (0.71 on dead leaves, 0.86 on scenes), against
 * regressions. A patch-32 model of the same recipe measures 0.83 and 0.62 here: patch 16 trades dead leaves, which
 * are not photographs, for the scenes.
 */
class DemoModelQualityTest {
    private static final int IMAGES = 3;
    private static final int LEVELS = 5;

    @Test
    void scoresFallAsDistortionsGrow() throws Exception {
        try (GammaScorer scorer = DemoModel.load(RuntimeOptions.defaults())) {
            assertThat(levelSrcc(scorer, Procedural.LEAVES)).as("unseen dead leaves").isGreaterThan(0.68);
            assertThat(levelSrcc(scorer, Procedural.SCENES)).as("unseen photo-like scenes").isGreaterThan(0.83);
        }
    }

    private static double levelSrcc(GammaScorer scorer, Procedural style) throws Exception {
        ScoringOptions options = ScoringOptions.defaults().withCrops(CropPolicy.parse("center"));
        List<String> report = new ArrayList<>();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < IMAGES; i++) {
            RgbImage clean = style.draw(256, 256, new SplittableRandom(90_000 + i));
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
        double mean = sum / n;
        System.out.printf("demo model on %s: mean SRCC(score, level) %.3f over %d image×type pairs%n%s%n",
                style.id(), mean, n, report);
        return mean;
    }
}
