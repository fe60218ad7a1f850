package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * Mixture of Assessment Experts (MoAE): {@code scale·Σ_k g_k(x)·expert_k(x) + shared(x)} with a
 * per-token softmax router g. Evaluated as one wide product in and one out: the shared expert
 * and the K adaptive experts' {@code c_fc} are stacked into one (K+1)·H × W matrix, and their
 * {@code c_proj} side by side into one W × (K+1)·H matrix (adaptive ones pre-multiplied by the
 * scale), so the router weights only scale hidden activations. Exact up to float reassociation.
 * Inference only: the hidden activations are updated in place, which autograd cannot follow.
 */
final class MixtureOfExperts implements FeedForward {
    private final Linear router;      // W → K
    private final Linear fcAll;       // W → (K+1)·H: shared expert first, then the adaptive experts
    private final Linear projAll;     // (K+1)·H → W, no bias; adaptive columns pre-scaled
    private final NDArray projBiases; // (K+1, W): shared bias, then scale·bias_k
    private final int experts;
    private final long hidden;

    private MixtureOfExperts(Linear router, Linear fcAll, Linear projAll, NDArray projBiases, int experts, long hidden) {
        this.router = router;
        this.fcAll = fcAll;
        this.projAll = projAll;
        this.projBiases = projBiases;
        this.experts = experts;
        this.hidden = hidden;
    }

    /** Stacks the experts' weights into the fused form; the given expert arrays are closed. */
    static MixtureOfExperts fuse(Mlp shared, List<Mlp> adaptive, Linear router, float scale) {
        List<Mlp> all = new ArrayList<>();
        all.add(shared);
        all.addAll(adaptive);
        NDList fcWeights = new NDList();
        NDList fcBiases = new NDList();
        NDList projWeights = new NDList();
        NDList projBiasRows = new NDList();
        for (int k = 0; k < all.size(); k++) {
            float s = k == 0 ? 1f : scale;
            Mlp m = all.get(k);
            fcWeights.add(m.fc().weight());
            fcBiases.add(m.fc().bias());
            projWeights.add(m.proj().weight().mul(s));
            projBiasRows.add(m.proj().bias().mul(s).expandDims(0));
        }
        long hidden = shared.fc().weight().getShape().get(0);
        MixtureOfExperts fused = new MixtureOfExperts(router,
                new Linear(NDArrays.concat(fcWeights, 0), NDArrays.concat(fcBiases, 0)),
                new Linear(NDArrays.concat(projWeights, 1), null),
                NDArrays.concat(projBiasRows, 0), adaptive.size(), hidden);
        for (NDList list : List.of(fcWeights, fcBiases, projWeights, projBiasRows)) {
            list.close();
        }
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
        NDArray gates = router.forward(x).softmax(-1);                                      // (B, T, K)
        NDArray ones = x.getManager().ones(new Shape(b, t, 1), x.getDataType());
        NDArray coefficients = NDArrays.concat(new NDList(ones, gates), -1);                // (B, T, K+1)
        NDArray hidden4;
        try (NDArray h = fcAll.forward(x)) {                                                // (B, T, (K+1)·H)
            try (NDArray scaled = h.mul(1.702f); NDArray gate = Activation.sigmoid(scaled)) {
                h.muli(gate);                                                               // QuickGELU in place
            }
            hidden4 = h.reshape(b, t, experts + 1, this.hidden);                            // (B, T, K+1, H)
        }
        hidden4.muli(coefficients.expandDims(-1));                                          // weight each expert's units
        try (hidden4; NDArray weighted = hidden4.reshape(b, t, (experts + 1) * this.hidden)) {
            return projAll.forward(weighted).add(coefficients.matMul(projBiases));          // (B, T, W)
        }
    }
}
