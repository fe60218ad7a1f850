package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A stack of residual blocks, batch-first (B, T, W). Each block runs in its own native memory
 * scope that keeps only the block's output, so a forward pass holds one block's temporaries at a
 * time rather than all of them (autograd, where recording, keeps what backward needs by itself).
 */
record Transformer(List<ResidualBlock> blocks) {
    Transformer {
        blocks = List.copyOf(blocks);
    }

    NDArray forward(NDArray x, NDArray mask) {
        NDManager owner = x.getManager();
        NDArray current = x;
        for (ResidualBlock block : blocks) {
            NDArray next;
            try (NDManager scope = owner.newSubManager()) {
                current.tempAttach(scope);
                next = block.forward(current, mask);
                next.attach(owner);
            }
            if (current != x) {
                current.close();
            }
            current = next;
        }
        return current;
    }
}
