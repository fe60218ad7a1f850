package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/** CLIP's residual attention block: {@code x += attn(ln_1(x)); x += mlp(ln_2(x))}. */
record ResidualBlock(LayerNorm ln1, MultiHeadAttention attention, LayerNorm ln2, FeedForward mlp) {
    /** @param mask additive attention mask, or null */
    NDArray forward(NDArray x, NDArray mask) {
        x = x.add(attention.forward(ln1.forward(x), mask));
        return x.add(mlp.forward(ln2.forward(x)));
    }

    /**
     * The block's output for the first token alone (B, 1, W), unmasked: what the vision tower's last
     * block needs, since only the class token is read after it. Exact: the rows it skips are discarded.
     */
    NDArray forwardFirstToken(NDArray x) {
        NDArray first = x.get(":, :1, :").add(attention.forwardFirstToken(ln1.forward(x)));
        return first.add(mlp.forward(ln2.forward(first)));
    }
}
