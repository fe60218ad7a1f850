package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/** The MLP half of a residual block: a plain CLIP MLP or a mixture of assessment experts. */
sealed interface FeedForward permits Mlp, MixtureOfExperts, ExpertMixture {
    NDArray forward(NDArray x);

    /** QuickGELU, {@code x·σ(1.702x)}, CLIP's activation. */
    static NDArray quickGelu(NDArray x) {
        return x.mul(ai.djl.nn.Activation.sigmoid(x.mul(1.702f)));
    }
}
