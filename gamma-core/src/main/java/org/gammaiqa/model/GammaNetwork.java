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
 * The Gamma network (SPEC §1): a CLIP model whose last blocks carry MoAE, plus the feature
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
        return build(sd, new Loader(sd, manager, dataType, null, kernel));
    }

    /**
     * Builds the network for training, in float32: the MoAE blocks are evaluated unfused, exactly as the original
     * ({@code scale·Σ_k g_k·expert_k(x) + shared(x)}), and every weight stays reachable by its checkpoint
     * key through {@link #parameters()}, for an optimizer to update in place and for export.
     *
     * @throws CheckpointMismatchException listing every missing, unexpected or mis-shaped key
     */
    public static GammaNetwork forTraining(StateDict sd, NDManager manager) throws CheckpointMismatchException {
        return build(sd, new Loader(sd, manager, DataType.FLOAT32, new LinkedHashMap<>(), LinearKernel.LIBTORCH));
    }

    private static GammaNetwork build(StateDict sd, Loader l) throws CheckpointMismatchException {
        GammaConfig config = CheckpointLayout.derive(sd);
        CheckpointLayout.verify(sd, config);
        TransformerConfig vc = config.vision().transformer();
        List<ResidualBlock> visionBlocks = new ArrayList<>();
        for (int i = 0; i < vc.layers(); i++) {
            visionBlocks.add(l.block(CheckpointLayout.visualBlock(i, vc.expertsPerLayer().get(i)), vc.heads()));
        }
        VisionTower vision = new VisionTower(l.array(CheckpointLayout.visualConv()),
                l.array(CheckpointLayout.visualClassEmbedding()), l.array(CheckpointLayout.visualPositions()),
                l.layerNorm(CheckpointLayout.visualLnPre()), new Transformer(visionBlocks),
                l.layerNorm(CheckpointLayout.visualLnPost()), l.array(CheckpointLayout.visualProjection()),
                l.kept() == null);
        TransformerConfig tc = config.text().transformer();
        List<ResidualBlock> textBlocks = new ArrayList<>();
        for (int i = 0; i < tc.layers(); i++) {
            textBlocks.add(l.block(CheckpointLayout.textBlock(i, tc.expertsPerLayer().get(i)), tc.heads()));
        }
        TextTower text = new TextTower(l.array(CheckpointLayout.tokenEmbedding()), l.array(CheckpointLayout.textPositions()),
                new Transformer(textBlocks), l.layerNorm(CheckpointLayout.textLnFinal()),
                l.array(CheckpointLayout.textProjection()));
        Adapter adapter = new Adapter(new Linear(l.array(CheckpointLayout.adapterDown()), null, l.kernel()),
                new Linear(l.array(CheckpointLayout.adapterUp()), null, l.kernel()));
        NDArray logitScale = l.array(CheckpointLayout.logitScale());
        QualityHead head = new QualityHead(logitScale.exp(), l.array(CheckpointLayout.scoreLevels()));
        if (l.kept() == null) {
            logitScale.close();
        }
        return new GammaNetwork(config, vision, text, adapter, head, l.kept() == null ? Map.of() : l.kept(), l.type());
    }

    /** The architecture this network was built with. */
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
     * layers on {@code kernel}; with {@code kept} non-null (training) it records every array by key and leaves the
     * MoAE blocks unfused.
     */
    private record Loader(StateDict sd, NDManager manager, DataType type, Map<String, NDArray> kept, LinearKernel kernel) {
        NDArray array(String key) {
            StoredTensor t = sd.get(key);
            Shape shape = new Shape(t.shape());
            if (kept != null) {
                // Training updates arrays in place: they must own their memory, never view the (read-only) file, and
                // live in torch's aligned storage rather than a Java direct buffer, whose varying alignment changes
                // oneMKL's summation order and so breaks bit-exact resumes.
                NDArray owned;
                try (NDArray a = manager.create(t.toFloats(), shape)) {
                    owned = a.duplicate();
                }
                kept.put(key, owned);
                return owned;
            }
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

        float scalar(String key) {
            return sd.get(key).toFloats()[0];
        }

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
            FeedForward mlp;
            if (k.mlp() != null) {
                mlp = kept != null ? mlp(k.mlp()) : mlp(k.mlp()).swishForm();
            } else {
                List<Mlp> adaptive = k.experts().adaptive().stream().map(this::mlp).toList();
                mlp = kept != null
                        ? new ExpertMixture(mlp(k.experts().shared()), adaptive, linear(k.experts().router()),
                                array(k.experts().scale()))
                        : MixtureOfExperts.fuse(mlp(k.experts().shared()), adaptive, linear(k.experts().router()),
                                scalar(k.experts().scale()));
            }
            return new ResidualBlock(layerNorm(k.ln1()), attention, layerNorm(k.ln2()), mlp);
        }
    }
}
