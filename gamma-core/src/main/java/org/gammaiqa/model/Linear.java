package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/** {@code y = x·Wᵀ + b} with W stored out×in as in torch; {@code bias} may be null. */
record Linear(NDArray weight, NDArray bias) {
    NDArray forward(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
