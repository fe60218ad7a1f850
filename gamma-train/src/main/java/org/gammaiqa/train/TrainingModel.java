package org.gammaiqa.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.model.CheckpointMismatchException;
import org.gammaiqa.model.GammaNetwork;
import org.gammaiqa.model.TorchScalar;
import org.gammaiqa.text.Scene;
import org.gammaiqa.text.Tokenizer;

/**
 * A Gamma network being trained (docs/MODEL.md, "Training recipe"): the unfused network with gradients on the trainable set only,
 * per-sample scene prompts, MSE on the normalised MOS (optionally plus a rank loss, {@link RankLoss}) and torch's
 * Adam. Frozen weights are never written; layers before the first trainable one carry no gradient and so build no
 * graph. Not thread-safe: one training step at a time.
 */
public final class TrainingModel implements AutoCloseable {
    private final NDManager manager;
    private final StateDict source;
    private final GammaNetwork network;
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();
    private final Tokenizer tokenizer;
    private final TorchAdam adam;

    /** Loads {@code sd} (a Gamma checkpoint's state dict) to train the released set; the arrays live in a new manager. */
    public TrainingModel(StateDict sd, Tokenizer tokenizer) throws CheckpointMismatchException {
        this(sd, tokenizer, Trainable.EXPERTS);
    }

    /** Loads {@code sd} for training the weights {@code which} includes. */
    public TrainingModel(StateDict sd, Tokenizer tokenizer, Trainable which) throws CheckpointMismatchException {
        this.manager = NDManager.newBaseManager("PyTorch");
        try {
            this.network = GammaNetwork.forTraining(sd, manager);
        } catch (CheckpointMismatchException | RuntimeException e) {
            manager.close();
            throw e;
        }
        this.source = sd;
        this.tokenizer = tokenizer;
        for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
            if (which.includes(e.getKey())) {
                e.getValue().setRequiresGradient(true);
                trainable.put(e.getKey(), e.getValue());
            }
        }
        this.adam = new TorchAdam(trainable, manager);
    }

    public GammaNetwork network() {
        return network;
    }

    public TorchAdam optimizer() {
        return adam;
    }

    /** Keys of the parameters this model trains. */
    public List<String> trainableKeys() {
        return List.copyOf(trainable.keySet());
    }

    /**
     * One step: {@code weight · MSE(score, MOS)} ({@code mos_loss_opt.loss_weight}), plus the rank loss over the
     * batch's series if {@code rank} is not null (and the batch has pairs), backward, Adam at {@code lr}. Returns
     * the loss before the update.
     */
    public double step(TrainingBatch batch, double lr, double weight, RankLoss rank) {
        try (NDManager step = manager.newSubManager()) {
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                int[] order = order(batch);
                NDArray predicted = forward(batch, step);                        // (B) in scene-group order
                NDArray target = step.create(grouped(batch.mos(), order));
                NDArray total = predicted.sub(target).square().mean();
                if (weight != 1) {
                    total = total.mul(TorchScalar.of(total, (float) weight));
                }
                if (rank != null) {
                    NDArray ranking = rankTerm(predicted, batch, order, rank, step);
                    if (ranking != null) {
                        total = total.add(ranking);
                    }
                }
                gc.backward(total);
                loss = total.getFloat();
            }
            adam.step(lr, step);
            return loss;
        }
    }

    /**
     * {@code weight · mean over pairs of τ·softplus(−(s_better − s_worse)/τ)}, the pairs being the samples of one
     * series with different MOS; null when the batch has no pair.
     */
    private static NDArray rankTerm(NDArray predicted, TrainingBatch batch, int[] order, RankLoss rank, NDManager step) {
        int[] position = new int[order.length];                      // batch index → row of predicted
        for (int k = 0; k < order.length; k++) {
            position[order[k]] = k;
        }
        int[] series = batch.series();
        float[] mos = batch.mos();
        long[] better = new long[series.length * series.length];
        long[] worse = new long[better.length];
        int pairs = 0;
        for (int i = 0; i < series.length; i++) {
            for (int j = 0; j < series.length; j++) {
                if (series[i] >= 0 && series[i] == series[j] && mos[i] > mos[j]) {
                    better[pairs] = position[i];
                    worse[pairs++] = position[j];
                }
            }
        }
        if (pairs == 0) {
            return null;
        }
        NDArray gap = predicted.get(step.create(Arrays.copyOf(better, pairs)))
                .sub(predicted.get(step.create(Arrays.copyOf(worse, pairs))));
        float t = (float) rank.temperature();
        NDArray perPair = Activation.softPlus(gap.mul(TorchScalar.of(gap, -1 / t))).mul(TorchScalar.of(gap, t));
        return perPair.mean().mul(TorchScalar.of(gap, (float) rank.weight()));
    }

    /**
     * Scores grouped by scene (first appearance order): each group's images against its scene's five prompts.
     * Same values as the reference's per-sample einsum; the MSE is a mean, so the order does not matter.
     */
    private NDArray forward(TrainingBatch batch, NDManager step) {
        int s = batch.cropSize();
        // Copied into torch's own (aligned) memory: the view DJL makes of a Java direct buffer has varying
        // alignment, which changes the kernels' summation order and so breaks bit-exact resumes.
        NDArray pixels = step.create(batch.pixels(), new Shape(batch.size(), 3, s, s)).duplicate();
        NDArray image = network.imageFeatures(pixels);                               // (B, E)
        Map<Scene, List<Integer>> groups = groups(batch);
        NDList scores = new NDList();
        for (Map.Entry<Scene, List<Integer>> g : groups.entrySet()) {
            NDArray rows = groups.size() == 1 ? image
                    : image.get(step.create(g.getValue().stream().mapToLong(Integer::longValue).toArray()));
            NDArray text = network.textFeatures(tokens(g.getKey(), step)).transpose();  // (E, L)
            scores.add(network.score(network.levelProbabilities(rows, text)));
        }
        return scores.size() == 1 ? scores.get(0) : NDArrays.concat(scores, 0);
    }

    private NDArray tokens(Scene scene, NDManager step) {
        int context = network.config().text().contextLength();
        List<String> prompts = scene.prompts().prompts();
        return step.create(tokenizer.tokenizeAll(prompts, context), new Shape(prompts.size(), context));
    }

    private static Map<Scene, List<Integer>> groups(TrainingBatch batch) {
        Map<Scene, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.scenes().get(i), k -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    private static int[] order(TrainingBatch batch) {
        return groups(batch).values().stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
    }

    private static float[] grouped(float[] values, int[] order) {
        float[] out = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }

    /**
     * The current weights as a Gamma state dict in checkpoint order: trained tensors as float32, frozen ones
     * exactly as they were loaded (same bytes, same dtype).
     */
    public StateDict stateDict() {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (String key : source.keys()) {
            NDArray t = trainable.get(key);
            out.put(key, t == null ? source.get(key) : StoredTensor.ofFloats(t.getShape().getShape(), t.toFloatArray()));
        }
        return new StateDict(out);
    }

    @Override
    public void close() {
        manager.close();
    }
}
