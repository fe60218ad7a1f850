package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * This machine's float32 matrix-product speed, best of several 2048³ products on the current libtorch threads: through
 * libtorch's own linear (oneMKL on CPUs) and through the oneDNN kernel that inference runs its linear layers on. A
 * benchmark divides its achieved rate by the latter.
 */
public final class MatmulPeak {
    private MatmulPeak() {}

    /** GFLOP/s of libtorch's linear, or of oneDNN's with {@code oneDnn} (NaN where this libtorch lacks it). */
    public static double gflops(boolean oneDnn) {
        if (oneDnn && OneDnn.get() == null) {
            return Double.NaN;
        }
        int n = 2048;
        double best = 0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            Linear b = new Linear(m.randomUniform(-1, 1, new Shape(n, n)), null,
                    oneDnn ? LinearKernel.ONEDNN_FP32 : LinearKernel.LIBTORCH);
            for (int i = 0; i < 6; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = a.duplicate();
                    x.attach(step);
                    long t = System.nanoTime();
                    b.forward(x).toFloatArray();
                    double s = (System.nanoTime() - t) / 1e9;
                    best = Math.max(best, 2.0 * n * n * n / s / 1e9);
                }
            }
        }
        return best;
    }
}
