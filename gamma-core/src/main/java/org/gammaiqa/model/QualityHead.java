package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/**
 * The five-level head: {@code p = softmax(exp(logit_scale)·f·tᵀ)} over the level prompts and
 * {@code score = Σ p_i·score_level_i}.
 */
record QualityHead(NDArray logitScaleExp, NDArray scoreLevels) {
    /**
     * @param image L2-normalised image features (B, E)
     * @param textT L2-normalised prompt features, transposed (E, L)
     * @return level probabilities (B, L)
     */
    NDArray probabilities(NDArray image, NDArray textT) {
        return image.mul(logitScaleExp).matMul(textT).softmax(-1);
    }

    /** @param probabilities (B, L); returns the scores (B) */
    NDArray score(NDArray probabilities) {
        return probabilities.mul(scoreLevels).sum(new int[] {-1});
    }
}
