package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/**
 * CLIP's MLP: {@code c_proj(QuickGELU(c_fc(x)))}. In its {@link #swishForm} (inference) c_fc is multiplied by
 * 1.702 and c_proj's weight divided by it, so that QuickGELU {@code z·σ(1.702z)} becomes swish {@code y·σ(y)}
 * over 1.702, which oneDNN applies in c_fc's own pass. Exact up to float rounding.
 */
record Mlp(Linear fc, Linear proj, boolean swish) implements FeedForward {
    static final float QUICK_GELU = 1.702f;

    Mlp(Linear fc, Linear proj) {
        this(fc, proj, false);
    }

    /** The same MLP in swish form, with new weight arrays; this one's are closed. */
    Mlp swishForm() {
        return new Mlp(fc.scaled(QUICK_GELU, QUICK_GELU), proj.scaled(1 / QUICK_GELU, 1), true);
    }

    @Override
    public NDArray forward(NDArray x) {
        return proj.forward(swish ? fc.forwardSwish(x) : FeedForward.quickGelu(fc.forward(x)));
    }
}
