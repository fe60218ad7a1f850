package org.gammaiqa.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.model.CheckpointLayout.BlockKeys;
import org.gammaiqa.model.CheckpointLayout.LinearKeys;
import org.gammaiqa.model.CheckpointLayout.MlpKeys;
import org.gammaiqa.model.CheckpointMismatchException;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.model.TransformerConfig;

/**
 * Grows a Gamma network from a plain CLIP state dict as the original does: in the last {@code n} blocks
 * of both towers the MLP becomes the frozen shared expert, each adaptive expert starts as a copy of it,
 * the router is initialised like torch's default {@code nn.Linear} (weight and bias uniform in ±1/√fan_in),
 * the expert scale is 0; a fresh adapter (default Linear init, no bias) and {@code score_level} 0.2 … 1.0.
 * The random draws come from a seeded generator, not torch's: same distributions, other numbers.
 */
public final class ModelGrowth {
    private ModelGrowth() {}

    /**
     * @param backbone    a plain CLIP state dict (OpenAI layout, optionally with its metadata entries)
     * @param experts     adaptive experts per MoAE block (the release: 3)
     * @param expertLayers number of last blocks of each tower that get MoAE (the release: 6)
     * @throws CheckpointMismatchException if the backbone is not a CLIP state dict of that depth
     */
    public static StateDict grow(StateDict backbone, int experts, int expertLayers, long seed) throws CheckpointMismatchException {
        if (experts < 1 || expertLayers < 1) {
            throw new IllegalArgumentException("network.num_experts and network.num_ft_layer must be ≥ 1, got "
                    + experts + " and " + expertLayers);
        }
        Map<String, StoredTensor> plain = new LinkedHashMap<>();
        for (Map.Entry<String, StoredTensor> e : backbone.asMap().entrySet()) {
            if (!CheckpointLayout.backboneMetadataKeys().contains(e.getKey())) {
                plain.put("clip_model." + e.getKey(), e.getValue());
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        String projection = CheckpointLayout.visualProjection();
        if (!plain.containsKey(projection)) {
            throw new CheckpointMismatchException("the backbone has no " + CheckpointLayout.backboneKey(projection)
                    + "; expected a plain CLIP state dict (network.backbone), e.g. OpenAI's ViT-B/16 or UniQA's weights");
        }
        int embed = Math.toIntExact(plain.get(projection).dim(1));
        int hidden = embed / 2;
        plain.put(CheckpointLayout.adapterDown(), linearInit(rng, new long[] {hidden, embed}, embed));
        plain.put(CheckpointLayout.adapterUp(), linearInit(rng, new long[] {embed, hidden}, hidden));
        plain.put(CheckpointLayout.scoreLevels(), StoredTensor.ofFloats(new long[] {5}, new float[] {0.2f, 0.4f, 0.6f, 0.8f, 1.0f}));
        GammaConfig before = CheckpointLayout.derive(new StateDict(plain));
        CheckpointLayout.verify(new StateDict(plain), before);
        if (before.vision().transformer().expertLayers() > 0 || before.text().transformer().expertLayers() > 0) {
            throw new CheckpointMismatchException("network.backbone already holds experts; start from it with "
                    + "path.pretrain_network_g instead of growing it again");
        }
        Map<String, StoredTensor> grown = new LinkedHashMap<>(plain);
        growTower(grown, before.vision().transformer(), experts, expertLayers, rng, true);
        growTower(grown, before.text().transformer(), experts, expertLayers, rng, false);
        GammaConfig after = CheckpointLayout.derive(new StateDict(grown));
        Map<String, StoredTensor> ordered = new LinkedHashMap<>();
        for (String key : CheckpointLayout.expectedShapes(after).keySet()) {
            ordered.put(key, grown.get(key));
        }
        StateDict result = new StateDict(ordered);
        CheckpointLayout.verify(result, after);
        return result;
    }

    /**
     * A plain CLIP state dict of architecture {@code plain} (no experts) with random weights, to grow a model
     * trained from scratch from: LayerNorms 1/0, biases 0, {@code logit_scale} ln(1/0.07) as CLIP's, positional
     * embeddings N(0, 0.01²), every other tensor N(0, 1/fan_in): fan_in is the row size (a patch for {@code conv1}),
     * the first dimension for the projections ({@code x @ proj}) and the class embedding.
     */
    public static StateDict randomBackbone(GammaConfig plain, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5eedL);
        Map<String, StoredTensor> sd = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(plain).entrySet()) {
            String key = e.getKey();
            if (CheckpointLayout.partOf(key) == CheckpointLayout.Part.HEAD) {
                continue;
            }
            long[] shape = e.getValue();
            float[] v = new float[Math.toIntExact(StoredTensor.numel(shape))];
            if (key.equals(CheckpointLayout.logitScale())) {
                v[0] = (float) Math.log(1 / 0.07);
            } else if (key.contains(".ln_") && key.endsWith(".weight")) {
                Arrays.fill(v, 1f);
            } else if (!key.endsWith(".bias")) {
                boolean byRows = shape.length == 1 || key.equals(CheckpointLayout.visualProjection())
                        || key.equals(CheckpointLayout.textProjection());
                double std = key.endsWith("positional_embedding") ? 0.01
                        : 1 / Math.sqrt(byRows ? shape[0] : v.length / (double) shape[0]);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * std);
                }
            }
            sd.put(CheckpointLayout.backboneKey(key), StoredTensor.ofFloats(shape, v));
        }
        return new StateDict(sd);
    }

    private static void growTower(Map<String, StoredTensor> sd, TransformerConfig t, int experts, int expertLayers,
                                  SplittableRandom rng, boolean vision) throws CheckpointMismatchException {
        if (expertLayers > t.layers()) {
            throw new CheckpointMismatchException("network.num_ft_layer is " + expertLayers + " but the backbone's "
                    + (vision ? "vision" : "text") + " tower has only " + t.layers() + " blocks; expected at most " + t.layers());
        }
        for (int i = t.layers() - expertLayers; i < t.layers(); i++) {
            BlockKeys plain = vision ? CheckpointLayout.visualBlock(i, 0) : CheckpointLayout.textBlock(i, 0);
            BlockKeys moe = vision ? CheckpointLayout.visualBlock(i, experts) : CheckpointLayout.textBlock(i, experts);
            List<StoredTensor> mlp = new ArrayList<>();
            for (String key : keys(plain.mlp())) {
                mlp.add(sd.remove(key));
            }
            List<MlpKeys> targets = new ArrayList<>();
            targets.add(moe.experts().shared());
            targets.addAll(moe.experts().adaptive());
            for (MlpKeys target : targets) {
                List<String> keys = keys(target);
                for (int k = 0; k < keys.size(); k++) {
                    sd.put(keys.get(k), mlp.get(k));
                }
            }
            LinearKeys router = moe.experts().router();
            sd.put(router.weight(), linearInit(rng, new long[] {experts, t.width()}, t.width()));
            sd.put(router.bias(), linearInit(rng, new long[] {experts}, t.width()));
            sd.put(moe.experts().scale(), StoredTensor.ofFloats(new long[] {}, new float[] {0f}));
        }
    }

    private static List<String> keys(MlpKeys m) {
        return List.of(m.fc().weight(), m.fc().bias(), m.proj().weight(), m.proj().bias());
    }

    /** torch's default Linear init: kaiming_uniform(a=√5) for weights, which is U(±1/√fan_in), and the same for biases. */
    private static StoredTensor linearInit(SplittableRandom rng, long[] shape, int fanIn) {
        float[] v = new float[Math.toIntExact(StoredTensor.numel(shape))];
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextDouble(-bound, bound);
        }
        return StoredTensor.ofFloats(shape, v);
    }
}
