package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * torch's {@code nn.MultiheadAttention} as CLIP uses it: packed q/k/v projection, scaled dot
 * product per head, optional additive mask, output projection. Batch-first here: x is (B, T, W).
 */
record MultiHeadAttention(Linear inProjection, Linear outProjection, int heads) {
    /** @param mask additive (T, T) mask, or null */
    NDArray forward(NDArray x, NDArray mask) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long w = x.getShape().get(2);
        long d = w / heads;
        NDList qkv = inProjection.forward(x).split(3, 2);                         // 3 × (B, T, W)
        NDArray q = qkv.get(0).reshape(b, t, heads, d).transpose(0, 2, 1, 3);      // (B, h, T, d)
        q = q.div(TorchScalar.of(q, (float) Math.sqrt(d)));
        NDArray k = qkv.get(1).reshape(b, t, heads, d).transpose(0, 2, 3, 1);      // (B, h, d, T)
        NDArray v = qkv.get(2).reshape(b, t, heads, d).transpose(0, 2, 1, 3);      // (B, h, T, d)
        NDArray scores = q.matMul(k);                                               // (B, h, T, T)
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray mixed = scores.softmax(-1).matMul(v);                               // (B, h, T, d)
        return outProjection.forward(mixed.transpose(0, 2, 1, 3).reshape(b, t, w));
    }
}
