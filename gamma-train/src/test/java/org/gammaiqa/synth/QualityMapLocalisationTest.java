package org.gammaiqa.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.SplittableRandom;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.QualityMap;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.scoring.ScoringOptions;
import org.junit.jupiter.api.Test;

/**
 * The quality map localises: a clean procedural scene (672×672, seeds unseen in training) with Gaussian noise
 * (σ 45, {@code gaussian_noise} level 5 of 5, the distortion the demo model follows best) in one quadrant only, mapped
 * at stride 112 with the demo model. The windows inside the noisy quadrant must score lower on average than those
 * entirely outside it, and the worst window must touch it. Measured margins, one image per quadrant: 0.197, 0.089,
 * 0.123, 0.132 (seeds 4–7, the same quadrants again: 0.184, 0.145, 0.122, 0.086), so each must exceed 0.05.
 */
class QualityMapLocalisationTest {
    private static final int SIZE = 672;
    private static final int HALF = SIZE / 2;
    private static final double MARGIN = 0.05;

    @Test
    void theNoisyQuadrantsWindowsScoreLowerThanTheCleanOnes() throws Exception {
        try (GammaScorer scorer = DemoModel.load(RuntimeOptions.defaults())) {
            QualityMapper mapper = new QualityMapper(scorer);
            for (int quadrant = 0; quadrant < 4; quadrant++) {
                RgbImage clean = Procedural.SCENES.draw(SIZE, SIZE, new SplittableRandom(91_000 + quadrant));
                RgbImage noisy = Distortion.GAUSSIAN_NOISE.apply(clean, 5, 5, new SplittableRandom(quadrant));
                QualityMap map = mapper.map(pasteQuadrant(clean, noisy, quadrant), ScoringOptions.defaults(), 112);
                double inside = mean(map, quadrant, true);
                double outside = mean(map, quadrant, false);
                System.out.printf("quadrant %d: noisy windows %.3f, clean windows %.3f, margin %.3f%n",
                        quadrant, inside, outside, outside - inside);
                assertThat(outside - inside).as("clean minus noisy windows, quadrant " + quadrant).isGreaterThan(MARGIN);
                QualityMap.Cell worst = map.cells().stream().min(Comparator.comparingDouble(QualityMap.Cell::score)).orElseThrow();
                assertThat(overlaps(worst, quadrant)).as("worst window " + worst + " touches quadrant " + quadrant).isTrue();
            }
        }
    }

    /** Mean score of the windows entirely inside the quadrant ({@code inside}), or entirely outside it. */
    private static double mean(QualityMap map, int quadrant, boolean inside) {
        int qx = (quadrant % 2) * HALF;
        int qy = (quadrant / 2) * HALF;
        return map.cells().stream().filter(c -> inside
                        ? c.x() >= qx && c.x() + c.w() <= qx + HALF && c.y() >= qy && c.y() + c.h() <= qy + HALF
                        : !overlaps(c, quadrant))
                .mapToDouble(QualityMap.Cell::score).average().orElseThrow();
    }

    private static boolean overlaps(QualityMap.Cell c, int quadrant) {
        int qx = (quadrant % 2) * HALF;
        int qy = (quadrant / 2) * HALF;
        return c.x() < qx + HALF && c.x() + c.w() > qx && c.y() < qy + HALF && c.y() + c.h() > qy;
    }

    /** {@code clean} with quadrant 0–3 (left to right, top to bottom) taken from {@code distorted}. */
    private static RgbImage pasteQuadrant(RgbImage clean, RgbImage distorted, int quadrant) {
        byte[] out = clean.rgb().clone();
        int qx = (quadrant % 2) * HALF;
        int qy = (quadrant / 2) * HALF;
        for (int y = qy; y < qy + HALF; y++) {
            System.arraycopy(distorted.rgb(), (y * SIZE + qx) * 3, out, (y * SIZE + qx) * 3, HALF * 3);
        }
        return new RgbImage(SIZE, SIZE, out);
    }
}
