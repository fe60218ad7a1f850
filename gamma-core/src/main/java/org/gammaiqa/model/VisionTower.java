package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's vision transformer: patch convolution → class token → positional embedding (bicubically
 * resized to the token count) → ln_pre → blocks → ln_post on the class token → projection. For
 * inference the last block computes the class token alone (exact: nothing else is read); training
 * keeps the full last block, whose summation order its bit-exact resume was verified with.
 */
final class VisionTower {
    private final NDArray patchWeight;      // (W, 3, p, p)
    private final NDArray classEmbedding;   // (W)
    private final NDArray positions;        // (P, W)
    private final LayerNorm lnPre;
    private final Transformer transformer;
    private final LayerNorm lnPost;
    private final NDArray projection;       // (W, E)
    private final int patch;
    private final boolean classTokenOnlyInLastBlock;
    private final Map<Integer, NDArray> positionsByTokens = new ConcurrentHashMap<>();

    VisionTower(NDArray patchWeight, NDArray classEmbedding, NDArray positions, LayerNorm lnPre,
                Transformer transformer, LayerNorm lnPost, NDArray projection, boolean classTokenOnlyInLastBlock) {
        this.patchWeight = patchWeight;
        this.classEmbedding = classEmbedding;
        this.positions = positions;
        this.lnPre = lnPre;
        this.transformer = transformer;
        this.lnPost = lnPost;
        this.projection = projection;
        this.patch = (int) patchWeight.getShape().get(2);
        this.classTokenOnlyInLastBlock = classTokenOnlyInLastBlock;
    }

    /** @param pixels normalised images (B, 3, H, W), H and W multiples of the patch size; returns (B, E) */
    NDArray forward(NDArray pixels) {
        NDArray x = pixels.getNDArrayInternal().convolution(pixels, patchWeight, null,
                new Shape(patch, patch), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow(); // (B, W, gh, gw)
        long b = x.getShape().get(0);
        long w = x.getShape().get(1);
        x = x.reshape(b, w, -1).transpose(0, 2, 1);                                          // (B, gh·gw, W)
        NDArray cls = x.getManager().zeros(new Shape(b, 1, w), x.getDataType()).add(classEmbedding);
        x = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(cls, x), 1);            // (B, T, W)
        x = lnPre.forward(x.add(positionsFor((int) x.getShape().get(1))));
        NDArray out = classTokenOnlyInLastBlock ? transformer.forwardFirstToken(x) : transformer.forward(x, null);
        return lnPost.forward(out.get(":, 0, :")).matMul(projection);                        // (B, E)
    }

    /** Parity: the original resizes the whole (tokens × W) matrix as a 2-D image; with W unchanged only rows move. */
    private NDArray positionsFor(int tokens) {
        int rows = (int) positions.getShape().get(0);
        if (tokens == rows) {
            return positions;
        }
        return positionsByTokens.computeIfAbsent(tokens, t -> {
            NDArray r = positions.getManager().create(PositionResize.matrix(rows, t), new Shape(t, rows))
                    .toType(positions.getDataType(), false);
            NDArray resized = r.matMul(positions);
            r.close();
            return resized;
        });
    }
}
