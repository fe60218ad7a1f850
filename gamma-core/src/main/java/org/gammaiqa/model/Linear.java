package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * {@code y = x·Wᵀ + b} with W stored out×in as in torch; {@code bias} may be null. The product runs on
 * its {@link LinearKernel}; for bfloat16 products the layer keeps bfloat16 copies of W and b, made once.
 */
final class Linear {
    private final NDArray weight;
    private final NDArray bias;
    private final LinearKernel kernel;
    private final NDArray bfloat16Weight;
    private final NDArray bfloat16Bias;

    Linear(NDArray weight, NDArray bias, LinearKernel kernel) {
        this.weight = weight;
        this.bias = bias;
        this.kernel = kernel;
        boolean bf16 = kernel == LinearKernel.ONEDNN_BF16;
        this.bfloat16Weight = bf16 ? OneDnn.get().toBfloat16(weight) : null;
        this.bfloat16Bias = bf16 && bias != null ? OneDnn.get().toBfloat16(bias) : null;
    }

    NDArray weight() {
        return weight;
    }

    NDArray bias() {
        return bias;
    }

    LinearKernel kernel() {
        return kernel;
    }

    /** This layer with its weight times {@code w} and its bias times {@code b} (new arrays); this layer's are closed. */
    Linear scaled(float w, float b) {
        Linear out = new Linear(weight.mul(w), bias == null ? null : bias.mul(b), kernel);
        close();
        return out;
    }

    NDArray forward(NDArray x) {
        return forward(x, false);
    }

    /** {@code y·σ(y)} of this layer's output y, fused into the product where the kernel can. */
    NDArray forwardSwish(NDArray x) {
        return forward(x, true);
    }

    private NDArray forward(NDArray x, boolean swish) {
        return switch (kernel) {
            case ONEDNN_FP32 -> OneDnn.get().linear(x, weight, bias, swish);
            case ONEDNN_BF16 -> OneDnn.get().linearBfloat16(x, bfloat16Weight, bfloat16Bias, swish);
            case LIBTORCH -> {
                NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
                if (swish) {
                    try (NDArray gate = Activation.sigmoid(y)) {
                        y.muli(gate);
                    }
                }
                yield y;
            }
        };
    }

    private void close() {
        for (NDArray a : new NDArray[] {weight, bias, bfloat16Weight, bfloat16Bias}) {
            if (a != null) {
                a.close();
            }
        }
    }
}
