package org.gammaiqa.map;

import java.util.List;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringProtocol;

/**
 * Computes quality maps with a loaded model: every window of the grid is scored whole (one 224×224 crop, so its
 * score is exactly what scoring that crop gives), {@value #WINDOWS_PER_CALL} windows per scorer call, which splits
 * them into forward passes of the runtime's crops per pass. Thread-safe, as the scorer is.
 */
public final class QualityMapper {
    /** Windows cut out and handed to the scorer at once; bounds the memory a large image's windows take (~10 MB). */
    static final int WINDOWS_PER_CALL = 64;
    private final GammaScorer scorer;

    public QualityMapper(GammaScorer scorer) {
        this.scorer = scorer;
    }

    /**
     * The map of {@code image} on a grid of {@code stride}: windows scored with the options' prompts, and the whole
     * image scored with the options as given (their crops and seed).
     */
    public QualityMap map(RgbImage image, ScoringOptions options, int stride) {
        WindowGrid grid = WindowGrid.over(image, stride);
        ScoreResult whole = scorer.score(image, options);
        ScoringOptions perWindow = windowOptions(options);
        double[] scores = new double[grid.size()];
        for (int from = 0; from < scores.length; from += WINDOWS_PER_CALL) {
            int to = Math.min(scores.length, from + WINDOWS_PER_CALL);
            List<ScoreResult> results = scorer.score(grid.windows(from, to), perWindow);
            for (int i = from; i < to; i++) {
                scores[i] = results.get(i - from).score();
            }
        }
        return grid.assemble(scores, whole);
    }

    /** The options a window is scored with: the same prompts, one crop that is the whole window. */
    public static ScoringOptions windowOptions(ScoringOptions options) {
        return options.withCrops(new CropPolicy.Center()).withSeed(ScoringProtocol.SEED);
    }
}
