package org.gammaiqa.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch.optim.Adam (β 0.9/0.999, ε 1e-8, no weight decay, no amsgrad) with torch's exact update order:
 * {@code m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)}. DJL's own Adam puts
 * ε inside the bias correction, which changes small-gradient updates; this one does not. Gradients are
 * zeroed after each update.
 */
public final class TorchAdam {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private long step;

    /** @param parameters trainable arrays by key, with gradients enabled; the moments live in {@code manager} */
    public TorchAdam(Map<String, NDArray> parameters, NDManager manager) {
        this.parameters = Map.copyOf(parameters);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            expAvg.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            expAvgSq.put(e.getKey(), manager.zeros(e.getValue().getShape()));
        }
    }

    /** Updates every parameter from its accumulated gradient; temporaries go to {@code scratch}. */
    public void step(double lr, NDManager scratch) {
        step++;
        double bias1 = 1 - Math.pow(BETA1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(BETA2, step));
        float stepSize = (float) (lr / bias1);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = p.getGradient();
            g.attach(scratch);
            NDArray m = expAvg.get(e.getKey());
            NDArray v = expAvgSq.get(e.getKey());
            m.muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
            v.muli((float) BETA2).addi(g.mul(g).muli((float) (1 - BETA2)));
            NDArray denom = scratch(v.sqrt(), scratch).divi((float) bias2Sqrt).addi((float) EPS);
            p.subi(scratch(m.div(denom), scratch).muli(stepSize));
            g.subi(g);
        }
    }

    private static NDArray scratch(NDArray a, NDManager scratch) {
        a.attach(scratch);
        return a;
    }

    /** Number of updates so far (torch's {@code state["step"]}). */
    public long steps() {
        return step;
    }

    /** First and second moments by parameter key, for saving. */
    public Map<String, NDArray> firstMoments() {
        return expAvg;
    }

    public Map<String, NDArray> secondMoments() {
        return expAvgSq;
    }

    /** Restores a saved state: the step count and both moments (copied into this optimizer's arrays). */
    public void restore(long steps, Map<String, float[]> first, Map<String, float[]> second) {
        if (!first.keySet().equals(expAvg.keySet()) || !second.keySet().equals(expAvgSq.keySet())) {
            throw new IllegalArgumentException("optimizer state holds moments for " + first.keySet()
                    + " but the model trains " + expAvg.keySet() + " (was it saved by a run of another model?)");
        }
        this.step = steps;
        first.forEach((k, v) -> copyInto(expAvg.get(k), v));
        second.forEach((k, v) -> copyInto(expAvgSq.get(k), v));
    }

    /**
     * Adds the saved values to the zero moments, keeping torch's own (aligned) storage: {@code NDArray.set} would
     * swap in a Java direct buffer. 0 + x = x exactly.
     */
    private static void copyInto(NDArray zeros, float[] values) {
        try (NDArray saved = zeros.getManager().create(values, zeros.getShape())) {
            zeros.addi(saved);
        }
    }
}
