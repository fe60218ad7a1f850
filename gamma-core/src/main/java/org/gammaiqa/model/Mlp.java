package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/** CLIP's MLP: {@code c_proj(QuickGELU(c_fc(x)))}. */
record Mlp(Linear fc, Linear proj) implements FeedForward {
    @Override
    public NDArray forward(NDArray x) {
        return proj.forward(FeedForward.quickGelu(fc.forward(x)));
    }
}
