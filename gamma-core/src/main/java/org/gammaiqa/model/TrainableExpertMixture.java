package org.gammaiqa.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * A Mixture of Assessment Experts block in the paper's form, evaluated as the original does (docs/MODEL.md, "MoAE"):
 * {@code scale·Σ_k g_k(x)·expert_k(x) + shared(x)} with a per-token softmax router g. Every weight is its own array,
 * so gradients reach each adaptive expert, the router and the scale. For inference the same weights are converted
 * into {@link FusedExpertMixture}.
 */
record TrainableExpertMixture(Mlp shared, List<Mlp> adaptive, Linear router, NDArray scale) implements FeedForward {
    TrainableExpertMixture {
        adaptive = List.copyOf(adaptive);
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray gates = router.forward(x).softmax(-1);                                  // (B, T, K)
        NDList outs = new NDList(adaptive.size());
        for (Mlp expert : adaptive) {
            outs.add(expert.forward(x));                                                // K × (B, T, W)
        }
        NDArray stacked = NDArrays.stack(outs, 2);                                      // (B, T, K, W)
        NDArray mixed = stacked.mul(gates.expandDims(3)).sum(new int[] {2});           // (B, T, W)
        return mixed.mul(scale).add(shared.forward(x));
    }
}
