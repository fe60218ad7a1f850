package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A stack of residual blocks, batch-first (B, T, W). */
record Transformer(List<ResidualBlock> blocks) {
    Transformer {
        blocks = List.copyOf(blocks);
    }

    NDArray forward(NDArray x, NDArray mask) {
        for (ResidualBlock block : blocks) {
            x = block.forward(x, mask);
        }
        return x;
    }
}
