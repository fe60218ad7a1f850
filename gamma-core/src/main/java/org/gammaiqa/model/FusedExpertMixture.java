package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference form of a Mixture of Assessment Experts block, made from the paper's form
 * ({@link TrainableExpertMixture}: {@code scale·Σ_k g_k(x)·expert_k(x) + shared(x)}, g a per-token softmax router)
 * by the conversion step {@link #fuse}: each expert runs in {@link Mlp#swishForm}; its {@code c_proj} (adaptive ones
 * pre-multiplied by the scale) runs without its bias, and the router weights scale the W-wide outputs; the biases
 * enter once, as the coefficients times the stacked biases. Exact up to float reassociation. One expert's hidden
 * units are alive at a time. No gradients: the weights are rewritten.
 */
final class FusedExpertMixture implements FeedForward {
    private final Linear router;            // W → K
    private final List<Linear> fcs;         // per expert k: W → H, shared expert first
    private final List<Linear> projections; // per expert k: H → W, no bias; adaptive ones pre-scaled
    private final NDArray projBiases;       // (K+1, W): shared bias, then scale·bias_k
    private final int experts;

    private FusedExpertMixture(Linear router, List<Linear> fcs, List<Linear> projections, NDArray projBiases) {
        this.router = router;
        this.fcs = List.copyOf(fcs);
        this.projections = List.copyOf(projections);
        this.projBiases = projBiases;
        this.experts = projections.size() - 1;
    }

    /**
     * The conversion from the paper's form: scales the experts' layers as described above and stacks their biases;
     * the replaced arrays are closed.
     */
    static FusedExpertMixture fuse(Mlp shared, List<Mlp> adaptive, Linear router, float scale) {
        List<Mlp> all = new ArrayList<>();
        all.add(shared);
        all.addAll(adaptive);
        List<Linear> fcs = new ArrayList<>();
        List<Linear> projections = new ArrayList<>();
        NDList projBiasRows = new NDList();
        for (int k = 0; k < all.size(); k++) {
            float s = k == 0 ? 1f : scale;
            Mlp m = all.get(k);
            fcs.add(m.fc().scaled(Mlp.QUICK_GELU, Mlp.QUICK_GELU));
            projections.add(new Linear(m.proj().weight().mul(s / Mlp.QUICK_GELU), null, m.proj().kernel()));
            projBiasRows.add(m.proj().bias().mul(s).expandDims(0));
        }
        FusedExpertMixture fused = new FusedExpertMixture(router, fcs, projections, NDArrays.concat(projBiasRows, 0));
        projBiasRows.close();
        for (Mlp m : all) {
            m.proj().weight().close();
            m.proj().bias().close();
        }
        return fused;
    }

    @Override
    public NDArray forward(NDArray x) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long w = x.getShape().get(2);
        NDArray rows = x.reshape(b * t, w);                                                 // (B·T, W)
        NDArray gates = router.forward(rows).softmax(-1);                                   // (B·T, K)
        NDArray ones = x.getManager().ones(new Shape(b * t, 1), x.getDataType());
        NDArray coefficients = NDArrays.concat(new NDList(ones, gates), -1);                // (B·T, K+1)
        NDArray out = coefficients.matMul(projBiases);                                      // (B·T, W)
        for (int k = 0; k <= experts; k++) {
            try (NDArray h = fcs.get(k).forwardSwish(rows)) {                               // (B·T, H)
                try (NDArray y = projections.get(k).forward(h)) {                           // expert k's output
                    if (k == 0) {
                        out.addi(y);
                    } else {
                        try (NDArray g = coefficients.get(new NDIndex(":, {}:{}", k, k + 1)); NDArray gy = y.mul(g)) {
                            out.addi(gy); // y may be an inference tensor (oneDNN's), which refuses in-place updates
                        }
                    }
                }
            }
        }
        return out.reshape(b, t, w);                                                        // (B, T, W)
    }
}
