package org.gammaiqa.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.junit.jupiter.api.Test;

/** The oneDNN kernels load with this project's libtorch and compute what libtorch's linear computes. */
class OneDnnTest {
    @Test
    void kernelsLoadAndMatchLibtorchLinear() {
        assertThat(OneDnn.unavailableReason()).isNull();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 37, 64));
            NDArray w = m.randomUniform(-1, 1, new Shape(96, 64));
            NDArray b = m.randomUniform(-1, 1, new Shape(96));
            NDArray expected = x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
            Linear exact = new Linear(w, b, LinearKernel.ONEDNN_FP32);
            assertThat(exact.forward(x).getShape()).isEqualTo(new Shape(2, 37, 96));
            assertThat(largest(exact.forward(x), expected)).isLessThan(1e-5);
            NDArray swish = expected.mul(Activation.sigmoid(expected));
            assertThat(largest(exact.forwardSwish(x), swish)).isLessThan(1e-5);
            assertThat(largest(new Linear(w, null, LinearKernel.ONEDNN_FP32).forward(x), expected.sub(b))).isLessThan(1e-5);
            double bf16 = largest(new Linear(w, b, LinearKernel.ONEDNN_BF16).forward(x), expected);
            System.out.printf("bf16 linear (K=64, |x|,|w| ≤ 1): largest difference %.3g%n", bf16);
            assertThat(bf16).isGreaterThan(1e-5).isLessThan(0.1);
        }
    }

    private static double largest(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
