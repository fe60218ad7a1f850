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
        return run(x, mask, false);
    }

    /** The first token's output (B, 1, W) of an unmasked stack; the last block computes that row alone. */
    NDArray forwardFirstToken(NDArray x) {
        return run(x, null, true);
    }

    private NDArray run(NDArray x, NDArray mask, boolean firstTokenOnly) {
        NDManager owner = x.getManager();
        NDArray current = x;
        for (int i = 0; i < blocks.size(); i++) {
            ResidualBlock block = blocks.get(i);
            boolean last = i == blocks.size() - 1;
            NDArray next;
            try (NDManager scope = owner.newSubManager()) {
                current.tempAttach(scope);
                next = firstTokenOnly && last ? block.forwardFirstToken(current) : block.forward(current, mask);
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
