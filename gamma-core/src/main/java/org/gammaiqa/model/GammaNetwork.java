package org.gammaiqa.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gammaiqa.checkpoint.DType;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.model.CheckpointLayout.BlockKeys;
import org.gammaiqa.model.CheckpointLayout.LinearKeys;
import org.gammaiqa.model.CheckpointLayout.MlpKeys;

/**
 * The Gamma network (docs/MODEL.md, "Network"): a CLIP model whose last blocks carry MoAE, plus the feature
 * adapter and the five-level head. Built {@link #fromStateDict} for inference, weights are immutable and
 * every method is safe to call from many threads, each with its own input arrays (results live in the input's
 * manager). Built {@link #forTraining}, an optimizer updates the weights in place: one thread at a time.
 */
public final class GammaNetwork {
    private final GammaConfig config;
    private final VisionTower vision;
    private final TextTower text;
    private final Adapter adapter;
    private final QualityHead head;
    private final Map<String, NDArray> parameters;
    private final DataType dataType;

    private GammaNetwork(GammaConfig config, VisionTower vision, TextTower text, Adapter adapter, QualityHead head,
                         Map<String, NDArray> parameters, DataType dataType) {
        this.config = config;
        this.dataType = dataType;
        this.vision = vision;
        this.text = text;
        this.adapter = adapter;
        this.head = head;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /**
     * Builds the network described by the checkpoint's own keys and shapes, its weights as arrays of
     * {@code manager} in {@code dataType}, every product in that type.
     *
     * @throws CheckpointMismatchException listing every missing, unexpected or mis-shaped key
     */
    public static GammaNetwork fromStateDict(StateDict sd, NDManager manager, DataType dataType)
            throws CheckpointMismatchException {
        return fromStateDict(sd, manager, dataType, false);
    }

    /**
     * As {@link #fromStateDict(StateDict, NDManager, DataType)}; with {@code bfloat16Products} (float32 on a CPU
     * only) the linear layers multiply bfloat16-rounded activations by bfloat16 weights, accumulating in float32:
     * faster, not exact. Float32 products on a CPU run on oneDNN where this libtorch has it.
     *
     * @throws CheckpointMismatchException listing every missing, unexpected or mis-shaped key
     */
    public static GammaNetwork fromStateDict(StateDict sd, NDManager manager, DataType dataType, boolean bfloat16Products)
            throws CheckpointMismatchException {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("the network runs in FLOAT32 or FLOAT16, not " + dataType);
        }
        boolean cpuFloat32 = dataType == DataType.FLOAT32 && Device.Type.CPU.equals(manager.getDevice().getDeviceType());
        LinearKernel kernel;
        if (bfloat16Products) {
            if (!cpuFloat32) {
                throw new IllegalArgumentException("bfloat16 products run on a CPU with FLOAT32 weights, not "
                        + dataType + " on " + manager.getDevice());
            }
            if (OneDnn.get() == null) {
                throw new IllegalStateException("bfloat16 products need libtorch's oneDNN kernels, which this libtorch"
                        + " lacks (" + OneDnn.unavailableReason() + "); use float32");
            }
            kernel = LinearKernel.ONEDNN_BF16;
        } else {
            kernel = cpuFloat32 && OneDnn.get() != null ? LinearKernel.ONEDNN_FP32 : LinearKernel.LIBTORCH;
        }
        return build(sd, new InferenceLoader(sd, manager, dataType, kernel));
    }

    /**
     * Builds the network for training, in float32: the MoAE blocks are evaluated unfused, exactly as the original
     * ({@code scale·Σ_k g_k·expert_k(x) + shared(x)}), and every weight stays reachable by its checkpoint
     * key through {@link #parameters()}, for an optimizer to update in place and for export.
     *
     * @throws CheckpointMismatchException listing every missing, unexpected or mis-shaped key
     */
    public static GammaNetwork forTraining(StateDict sd, NDManager manager) throws CheckpointMismatchException {
        return build(sd, new TrainingLoader(sd, manager));
    }

    private static GammaNetwork build(StateDict sd, Loader l) throws CheckpointMismatchException {
        GammaConfig config = CheckpointLayout.derive(sd);
        CheckpointLayout.verify(sd, config);
        TransformerConfig vc = config.vision().transformer();
        List<ResidualBlock> visionBlocks = new ArrayList<>();
        for (BlockKeys block : CheckpointLayout.visualBlocks(vc)) {
            visionBlocks.add(l.block(block, vc.heads()));
        }
        VisionTower vision = new VisionTower(l.array(CheckpointLayout.visualConv()),
                l.array(CheckpointLayout.visualClassEmbedding()), l.array(CheckpointLayout.visualPositions()),
                l.layerNorm(CheckpointLayout.visualLnPre()), new Transformer(visionBlocks),
                l.layerNorm(CheckpointLayout.visualLnPost()), l.array(CheckpointLayout.visualProjection()),
                l instanceof InferenceLoader);
        TransformerConfig tc = config.text().transformer();
        List<ResidualBlock> textBlocks = new ArrayList<>();
        for (BlockKeys block : CheckpointLayout.textBlocks(tc)) {
            textBlocks.add(l.block(block, tc.heads()));
        }
        TextTower text = new TextTower(l.array(CheckpointLayout.tokenEmbedding()), l.array(CheckpointLayout.textPositions()),
                new Transformer(textBlocks), l.layerNorm(CheckpointLayout.textLnFinal()),
                l.array(CheckpointLayout.textProjection()));
        Adapter adapter = new Adapter(new Linear(l.array(CheckpointLayout.adapterDown()), null, l.kernel),
                new Linear(l.array(CheckpointLayout.adapterUp()), null, l.kernel));
        NDArray logitScale = l.array(CheckpointLayout.logitScale());
        QualityHead head = new QualityHead(logitScale.exp(), l.array(CheckpointLayout.scoreLevels()));
        if (l instanceof InferenceLoader) {
            logitScale.close();
        }
        return new GammaNetwork(config, vision, text, adapter, head, l.parameters(), l.type);
    }

    public GammaConfig config() {
        return config;
    }

    /**
     * The weights by checkpoint key, for a network built {@link #forTraining}; the
     * forward passes read these very arrays. Empty for an inference network, whose MoAE weights are fused.
     */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Element type of the weights; inputs must be converted to it. */
    public DataType dataType() {
        return dataType;
    }

    /** @param pixels CLIP-normalised images (B, 3, H, W); returns L2-normalised adapted features (B, E) */
    public NDArray imageFeatures(NDArray pixels) {
        NDArray f = adapter.forward(vision.forward(pixels));
        return f.div(f.norm(new int[] {-1}, true));
    }

    /** @param tokens (N, C) int64 token ids; returns L2-normalised text features (N, E) */
    public NDArray textFeatures(NDArray tokens) {
        NDArray t = text.forward(tokens);
        return t.div(t.norm(new int[] {-1}, true));
    }

    /** Level probabilities (B, L) for image features (B, E) against transposed prompt features (E, L). */
    public NDArray levelProbabilities(NDArray imageFeatures, NDArray promptFeaturesT) {
        return head.probabilities(imageFeatures, promptFeaturesT);
    }

    /** Scores (B) from level probabilities (B, L): {@code Σ p_i·score_level_i}. */
    public NDArray score(NDArray probabilities) {
        return head.score(probabilities);
    }

    /**
     * Reads named tensors of a state dict into arrays of the network's type and assembles the blocks, their linear
     * layers on {@code kernel}. Its two kinds say what the network is for: {@link InferenceLoader} (weights read in
     * place, MLPs in swish form, MoAE fused) and {@link TrainingLoader} (every weight its own array, recorded by key;
     * MoAE in the paper's form).
     */
    private abstract static sealed class Loader permits InferenceLoader, TrainingLoader {
        final StateDict sd;
        final NDManager manager;
        final DataType type;
        final LinearKernel kernel;

        Loader(StateDict sd, NDManager manager, DataType type, LinearKernel kernel) {
            this.sd = sd;
            this.manager = manager;
            this.type = type;
            this.kernel = kernel;
        }

        abstract NDArray array(String key);

        /** A plain CLIP MLP as this kind of network runs it. */
        abstract FeedForward plain(Mlp mlp);

        /** A MoAE block as this kind of network runs it. */
        abstract FeedForward mixture(Mlp shared, List<Mlp> adaptive, Linear router, String scaleKey);

        /** The weights by checkpoint key that an optimizer may update; empty for inference. */
        abstract Map<String, NDArray> parameters();

        Linear linear(LinearKeys k) {
            return new Linear(array(k.weight()), k.bias() == null ? null : array(k.bias()), kernel);
        }

        LayerNorm layerNorm(LinearKeys k) {
            return new LayerNorm(array(k.weight()), array(k.bias()));
        }

        Mlp mlp(MlpKeys k) {
            return new Mlp(linear(k.fc()), linear(k.proj()));
        }

        ResidualBlock block(BlockKeys k, int heads) {
            MultiHeadAttention attention = new MultiHeadAttention(
                    new Linear(array(k.inProjWeight()), array(k.inProjBias()), kernel), linear(k.outProj()), heads);
            FeedForward mlp = k.mlp() != null ? plain(mlp(k.mlp()))
                    : mixture(mlp(k.experts().shared()), k.experts().adaptive().stream().map(this::mlp).toList(),
                            linear(k.experts().router()), k.experts().scale());
            return new ResidualBlock(layerNorm(k.ln1()), attention, layerNorm(k.ln2()), mlp);
        }
    }

    /** Weights shared with the (memory-mapped) checkpoint where they are float32; MLPs in swish form, MoAE fused. */
    private static final class InferenceLoader extends Loader {
        InferenceLoader(StateDict sd, NDManager manager, DataType type, LinearKernel kernel) {
            super(sd, manager, type, kernel);
        }

        @Override
        NDArray array(String key) {
            StoredTensor t = sd.get(key);
            Shape shape = new Shape(t.shape());
            NDArray f32 = t.dtype() == DType.F32 && t.data().isDirect()
                    ? manager.create(t.data(), shape, DataType.FLOAT32)   // shares the memory-mapped file
                    : manager.create(t.toFloats(), shape);
            if (type == DataType.FLOAT32) {
                return f32;
            }
            try (f32) {
                return f32.toType(type, true);
            }
        }

        @Override
        FeedForward plain(Mlp mlp) {
            return mlp.swishForm();
        }

        @Override
        FeedForward mixture(Mlp shared, List<Mlp> adaptive, Linear router, String scaleKey) {
            return FusedExpertMixture.fuse(shared, adaptive, router, sd.get(scaleKey).toFloats()[0]);
        }

        @Override
        Map<String, NDArray> parameters() {
            return Map.of();
        }
    }

    /** Float32 weights in arrays of their own, every one recorded by key; MoAE in the paper's form. */
    private static final class TrainingLoader extends Loader {
        private final Map<String, NDArray> kept = new LinkedHashMap<>();

        TrainingLoader(StateDict sd, NDManager manager) {
            super(sd, manager, DataType.FLOAT32, LinearKernel.LIBTORCH);
        }

        @Override
        NDArray array(String key) {
            // Training updates arrays in place: they must own their memory, never view the (read-only) file, and
            // live in torch's aligned storage rather than a Java direct buffer, whose varying alignment changes
            // oneMKL's summation order and so breaks bit-exact resumes.
            NDArray owned;
            try (NDArray a = manager.create(sd.get(key).toFloats(), new Shape(sd.get(key).shape()))) {
                owned = a.duplicate();
            }
            kept.put(key, owned);
            return owned;
        }

        @Override
        FeedForward plain(Mlp mlp) {
            return mlp;
        }

        @Override
        FeedForward mixture(Mlp shared, List<Mlp> adaptive, Linear router, String scaleKey) {
            return new TrainableExpertMixture(shared, adaptive, router, array(scaleKey));
        }

        @Override
        Map<String, NDArray> parameters() {
            return kept;
        }
    }
}
