package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/** The MLP half of a residual block: a plain CLIP MLP or a mixture of assessment experts. */
sealed interface FeedForward permits Mlp, TrainableExpertMixture, FusedExpertMixture {
    NDArray forward(NDArray x);

    /** QuickGELU, {@code x·σ(1.702x)}, CLIP's activation; its temporaries are freed at once (they are the size of x). */
    static NDArray quickGelu(NDArray x) {
        try (NDArray k = TorchScalar.of(x, 1.702f); NDArray scaled = x.mul(k); NDArray gate = ai.djl.nn.Activation.sigmoid(scaled)) {
            return x.mul(gate);
        }
    }
}
