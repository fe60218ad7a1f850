package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last dimension, eps 1e-5 as in CLIP. */
record LayerNorm(NDArray weight, NDArray bias) {
    private static final float EPS = 1e-5f;

    NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, EPS)
                .singletonOrThrow();
    }
}
