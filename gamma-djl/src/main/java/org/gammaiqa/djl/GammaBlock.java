package org.gammaiqa.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;

/**
 * Gamma as a DJL block: from one image (H, W, 3) of unsigned bytes, the score (a float64 scalar), the level
 * probabilities (float64, one per level) and the treatment (int32: crops, upscaled 0/1, width, height). The crops,
 * the network and the averaging are {@link GammaScorer}'s, so the scores are the library's to the last bit. Its
 * parameters live in the scorer, not in DJL's parameter store: the block is for inference only.
 */
public final class GammaBlock extends AbstractBlock {
    private final GammaScorer scorer;
    private final ScoringOptions options;

    /**
     * The block of a loaded model.
     *
     * @param scorer  the loaded model
     * @param options prompts, crops and seed for every image
     */
    public GammaBlock(GammaScorer scorer, ScoringOptions options) {
        this.scorer = scorer;
        this.options = options;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException("GammaBlock scores; train Gamma with gamma-train");
        }
        NDArray image = inputs.singletonOrThrow();
        Shape shape = image.getShape();
        if (shape.dimension() != 3 || shape.get(2) != 3 || image.getDataType() != DataType.UINT8) {
            throw new IllegalArgumentException("GammaBlock takes one (H, W, 3) uint8 RGB image, got " + shape + " "
                    + image.getDataType());
        }
        RgbImage rgb = new RgbImage((int) shape.get(1), (int) shape.get(0), image.toByteArray());
        ScoreResult r = scorer.score(rgb, options);
        NDManager manager = image.getManager();
        double[] levels = r.levels().stream().mapToDouble(Double::doubleValue).toArray();
        return new NDList(manager.create(r.score()), manager.create(levels),
                manager.create(new int[] {r.crops(), r.upscaled() ? 1 : 0, r.width(), r.height()}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(), new Shape(scorer.config().levels()), new Shape(4)};
    }
}
