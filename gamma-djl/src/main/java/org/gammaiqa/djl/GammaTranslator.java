package org.gammaiqa.djl;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.Arrays;
import org.gammaiqa.scoring.ModelSource;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;

/**
 * Turns a DJL {@link Image} into the (H, W, 3) unsigned-byte array {@link GammaBlock} takes (its sRGB colours, alpha
 * dropped) and the block's output into a {@link ScoreResult} naming the model.
 */
public final class GammaTranslator implements NoBatchifyTranslator<Image, ScoreResult> {
    private final ModelSource model;
    private final ScoringOptions options;

    /**
     * A translator for one loaded model.
     *
     * @param model   the model the results name
     * @param options the options the block scores with (their prompt set names the results' prompts)
     */
    public GammaTranslator(ModelSource model, ScoringOptions options) {
        this.model = model;
        this.options = options;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR));
    }

    @Override
    public ScoreResult processOutput(TranslatorContext ctx, NDList list) {
        NDArray treatment = list.get(2);
        int[] t = treatment.toIntArray();
        return new ScoreResult(list.get(0).getDouble(), Arrays.stream(list.get(1).toDoubleArray()).boxed().toList(),
                options.prompts().name(), t[0], t[1] == 1, t[2], t[3], model.name(), model.sha256());
    }
}
