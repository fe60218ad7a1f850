package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Gamma's residual feature adapter: {@code f + ReLU(ReLU(f·W₀ᵀ)·W₂ᵀ)}, both layers without bias. */
record Adapter(Linear down, Linear up) {
    NDArray forward(NDArray f) {
        return f.add(Activation.relu(up.forward(Activation.relu(down.forward(f)))));
    }
}
