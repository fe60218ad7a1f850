package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;

/**
 * A 0-d tensor in libtorch-owned memory, for multiplying or dividing by a constant inside a training graph.
 * DJL's {@code mul(Number)}/{@code div(Number)} wrap the constant around a Java buffer and close it at once,
 * while autograd keeps the tensor for the backward pass; once the garbage collector frees that buffer the
 * gradients read freed memory (NaN gradients in runs that train the first blocks). Same values as those calls.
 */
public final class TorchScalar {
    private TorchScalar() {}

    /** {@code value} as a 0-d tensor of {@code like}'s type, owned by libtorch, in {@code like}'s manager. */
    public static NDArray of(NDArray like, float value) {
        try (NDArray wrapped = like.getManager().create(value)) {
            // a copy either way: toType to the same type may hand back a view of the Java buffer
            return wrapped.getDataType() == like.getDataType() ? wrapped.duplicate() : wrapped.toType(like.getDataType(), false);
        }
    }
}
