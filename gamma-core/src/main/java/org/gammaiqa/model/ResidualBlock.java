package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/** CLIP's residual attention block: {@code x += attn(ln_1(x)); x += mlp(ln_2(x))}. */
record ResidualBlock(LayerNorm ln1, MultiHeadAttention attention, LayerNorm ln2, FeedForward mlp) {
    /** @param mask additive attention mask, or null */
    NDArray forward(NDArray x, NDArray mask) {
        x = x.add(attention.forward(ln1.forward(x), mask));
        return x.add(mlp.forward(ln2.forward(x)));
    }
}
