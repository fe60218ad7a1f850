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
 * per-token softmax router g. The shared expert and the K adaptive experts' {@code c_fc} run as one
 * (K+1)·H × W product; each expert's {@code c_proj} (adaptive ones pre-multiplied by the scale) then
 * reads its own columns of the hidden units in place, and the router weights scale the W-wide
 * outputs rather than the (K+1)·H hidden units. Exact up to float reassociation. Inference only:
 * the activation is applied in place, which autograd cannot follow.
 */
final class MixtureOfExperts implements FeedForward {
    private final Linear router;      // W → K
    private final Linear fcAll;       // W → (K+1)·H: shared expert first, then the adaptive experts
    private final NDArray projBiases; // (K+1, W): shared bias, then scale·bias_k
    private final List<Linear> projections; // per expert k: H → W, no bias; adaptive ones pre-scaled
    private final int experts;
    private final long hidden;

    private MixtureOfExperts(Linear router, Linear fcAll, List<Linear> projections, NDArray projBiases, long hidden) {
        this.router = router;
        this.fcAll = fcAll;
        this.projections = List.copyOf(projections);
        this.projBiases = projBiases;
        this.experts = projections.size() - 1;
        this.hidden = hidden;
    }

    /** Stacks the experts' {@code c_fc} into the fused form and pre-scales their {@code c_proj}; the given arrays are closed. */
    static MixtureOfExperts fuse(Mlp shared, List<Mlp> adaptive, Linear router, float scale) {
        List<Mlp> all = new ArrayList<>();
        all.add(shared);
        all.addAll(adaptive);
        NDList fcWeights = new NDList();
        NDList fcBiases = new NDList();
        List<Linear> projections = new ArrayList<>();
        NDList projBiasRows = new NDList();
        for (int k = 0; k < all.size(); k++) {
            float s = k == 0 ? 1f : scale;
            Mlp m = all.get(k);
            fcWeights.add(m.fc().weight());
            fcBiases.add(m.fc().bias());
            projections.add(new Linear(m.proj().weight().mul(s), null));
            projBiasRows.add(m.proj().bias().mul(s).expandDims(0));
        }
        long hidden = shared.fc().weight().getShape().get(0);
        MixtureOfExperts fused = new MixtureOfExperts(router,
                new Linear(NDArrays.concat(fcWeights, 0), NDArrays.concat(fcBiases, 0)),
                projections, NDArrays.concat(projBiasRows, 0), hidden);
        for (NDList list : List.of(fcWeights, fcBiases, projBiasRows)) {
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
        NDArray gates = router.forward(x).softmax(-1).reshape(b * t, experts);               // (B·T, K)
        NDArray ones = x.getManager().ones(new Shape(b * t, 1), x.getDataType());
        NDArray coefficients = NDArrays.concat(new NDList(ones, gates), -1);                // (B·T, K+1)
        try (NDArray h = fcAll.forward(x)) {                                                // (B, T, (K+1)·H)
            try (NDArray scaled = h.mul(1.702f); NDArray gate = Activation.sigmoid(scaled)) {
                h.muli(gate);                                                               // QuickGELU in place
            }
            NDArray rows = h.reshape(b * t, (experts + 1) * hidden);                        // (B·T, (K+1)·H)
            NDArray out = coefficients.matMul(projBiases);                                  // (B·T, W)
            for (int k = 0; k <= experts; k++) {
                try (NDArray units = rows.get(new ai.djl.ndarray.index.NDIndex(":, {}:{}", k * hidden, (k + 1) * hidden));
                     NDArray y = projections.get(k).forward(units)) {                       // expert k's output
                    out.addi(k == 0 ? y : y.muli(coefficients.get(new ai.djl.ndarray.index.NDIndex(":, {}:{}", k, k + 1))));
                }
            }
            return out.reshape(b, t, out.getShape().get(1));                                // (B, T, W)
        }
    }
}
