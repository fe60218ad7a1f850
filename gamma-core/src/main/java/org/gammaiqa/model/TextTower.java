package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.SparseFormat;

/**
 * CLIP's text transformer: token + positional embedding → causally masked blocks → ln_final →
 * the row of each sequence's end-of-text token (its arg-max id) → text projection.
 */
final class TextTower {
    private final NDArray tokenEmbedding;   // (V, Wt)
    private final NDArray positions;        // (C, Wt)
    private final Transformer transformer;
    private final LayerNorm lnFinal;
    private final NDArray projection;       // (Wt, E)
    private final NDArray causalMask;       // (C, C): −∞ above the diagonal

    TextTower(NDArray tokenEmbedding, NDArray positions, Transformer transformer, LayerNorm lnFinal, NDArray projection) {
        this.tokenEmbedding = tokenEmbedding;
        this.positions = positions;
        this.transformer = transformer;
        this.lnFinal = lnFinal;
        this.projection = projection;
        int c = (int) positions.getShape().get(0);
        float[] mask = new float[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = i + 1; j < c; j++) {
                mask[i * c + j] = Float.NEGATIVE_INFINITY;
            }
        }
        this.causalMask = positions.getManager().create(mask, new ai.djl.ndarray.types.Shape(c, c))
                .toType(positions.getDataType(), false);
    }

    int contextLength() {
        return (int) positions.getShape().get(0);
    }

    /** @param tokens (N, C) int64 token ids; returns (N, E) */
    NDArray forward(NDArray tokens) {
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
        x = transformer.forward(x.add(positions), causalMask);
        x = lnFinal.forward(x);
        NDArray rows = x.getManager().arange(0, (int) tokens.getShape().get(0), 1, ai.djl.ndarray.types.DataType.INT64);
        NDArray ends = tokens.argMax(1);
        return x.get(new NDIndex("{}, {}", rows, ends)).matMul(projection);
    }
}
