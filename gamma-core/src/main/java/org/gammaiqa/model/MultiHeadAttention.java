package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * torch's {@code nn.MultiheadAttention} as CLIP uses it: packed q/k/v projection, scaled dot
 * product per head, optional additive mask, output projection. Batch-first here: x is (B, T, W).
 */
final class MultiHeadAttention {
    private final Linear inProjection;    // W → 3W: q, k, v
    private final Linear queryProjection; // W → W, a view of the q rows of inProjection
    private final Linear keyValueProjection; // W → 2W, a view of the k and v rows
    private final Linear outProjection;
    private final int heads;

    MultiHeadAttention(Linear inProjection, Linear outProjection, int heads) {
        this.inProjection = inProjection;
        this.outProjection = outProjection;
        this.heads = heads;
        long w = inProjection.weight().getShape().get(1);
        NDIndex q = new NDIndex("0:{}", w);
        NDIndex kv = new NDIndex("{}:", w);
        this.queryProjection = new Linear(inProjection.weight().get(q), inProjection.bias().get(q), inProjection.kernel());
        this.keyValueProjection = new Linear(inProjection.weight().get(kv), inProjection.bias().get(kv), inProjection.kernel());
    }

    /** @param mask additive (T, T) mask, or null */
    NDArray forward(NDArray x, NDArray mask) {
        NDList qkv = inProjection.forward(x).split(3, 2);                                    // 3 × (B, T, W)
        return attend(qkv.get(0), qkv.get(1), qkv.get(2), mask);
    }

    /** The output for the first token alone (B, 1, W), attending to all tokens, unmasked. */
    NDArray forwardFirstToken(NDArray x) {
        NDList kv = keyValueProjection.forward(x).split(2, 2);                               // 2 × (B, T, W)
        return attend(queryProjection.forward(x.get(":, :1, :")), kv.get(0), kv.get(1), null);
    }

    /** Scaled dot-product attention per head of queries (B, Q, W) over keys and values (B, T, W). */
    private NDArray attend(NDArray query, NDArray key, NDArray value, NDArray mask) {
        long b = key.getShape().get(0);
        long t = key.getShape().get(1);
        long w = key.getShape().get(2);
        long n = query.getShape().get(1);
        long d = w / heads;
        NDArray q = query.reshape(b, n, heads, d).transpose(0, 2, 1, 3);                    // (B, h, Q, d)
        q = q.div(TorchScalar.of(q, (float) Math.sqrt(d)));
        NDArray k = key.reshape(b, t, heads, d).transpose(0, 2, 3, 1);                      // (B, h, d, T)
        NDArray v = value.reshape(b, t, heads, d).transpose(0, 2, 1, 3);                    // (B, h, T, d)
        NDArray scores = q.matMul(k);                                                       // (B, h, Q, T)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray mixed = scores.softmax(-1).matMul(v);                                       // (B, h, Q, d)
        return outProjection.forward(mixed.transpose(0, 2, 1, 3).reshape(b, n, w));
    }
}
