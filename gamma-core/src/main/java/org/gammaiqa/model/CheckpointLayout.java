package org.gammaiqa.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;

/**
 * The released checkpoint's key spellings, in one place: the {@link GammaConfig} derived from a
 * state dict's keys and shapes, and the full list of keys and shapes a config implies, checked
 * against a state dict with every problem reported at once.
 */
public final class CheckpointLayout {
    private static final String VISUAL = "clip_model.visual.";
    private static final String TEXT = "clip_model.";
    private static final Pattern BLOCK = Pattern.compile("^(clip_model\\.(?:visual\\.)?)transformer\\.resblocks\\.(\\d+)\\.");
    private static final Pattern EXPERT = Pattern.compile("\\.mlp\\.experts\\.expert_(\\d+)\\.c_fc\\.weight$");
    private static final int LISTED = 10;
    private static final String HINT = " (is this a Gamma checkpoint, {\"params\": state_dict} as released?)";

    /** Keys of one linear layer: {@code <prefix>.weight} and, if it has one, {@code <prefix>.bias}. */
    public record LinearKeys(String weight, String bias) {
        static LinearKeys of(String prefix, boolean bias) {
            return new LinearKeys(prefix + ".weight", bias ? prefix + ".bias" : null);
        }
    }

    /** Keys of a CLIP MLP: {@code c_fc} then {@code c_proj}. */
    public record MlpKeys(LinearKeys fc, LinearKeys proj) {
        static MlpKeys of(String prefix) {
            return new MlpKeys(LinearKeys.of(prefix + ".c_fc", true), LinearKeys.of(prefix + ".c_proj", true));
        }
    }

    /** Keys of a MoAE feed-forward: the frozen shared expert, the adaptive experts, the router and the scale. */
    public record ExpertKeys(MlpKeys shared, List<MlpKeys> adaptive, LinearKeys router, String scale) {}

    /** Keys of one residual block; exactly one of {@code mlp} and {@code experts} is non-null. */
    public record BlockKeys(LinearKeys ln1, String inProjWeight, String inProjBias, LinearKeys outProj,
                            LinearKeys ln2, MlpKeys mlp, ExpertKeys experts) {}

    private CheckpointLayout() {}

    public static String visualConv() { return VISUAL + "conv1.weight"; }
    public static String visualClassEmbedding() { return VISUAL + "class_embedding"; }
    public static String visualPositions() { return VISUAL + "positional_embedding"; }
    public static LinearKeys visualLnPre() { return LinearKeys.of(VISUAL + "ln_pre", true); }
    public static LinearKeys visualLnPost() { return LinearKeys.of(VISUAL + "ln_post", true); }
    public static String visualProjection() { return VISUAL + "proj"; }
    public static String tokenEmbedding() { return TEXT + "token_embedding.weight"; }
    public static String textPositions() { return TEXT + "positional_embedding"; }
    public static LinearKeys textLnFinal() { return LinearKeys.of(TEXT + "ln_final", true); }
    public static String textProjection() { return TEXT + "text_projection"; }
    public static String logitScale() { return TEXT + "logit_scale"; }
    public static String adapterDown() { return "adapter.fc.0.weight"; }
    public static String adapterUp() { return "adapter.fc.2.weight"; }
    public static String scoreLevels() { return "score_level"; }

    /** Which part of the network a key belongs to. */
    public enum Part { VISION, TEXT, HEAD }

    public static Part partOf(String key) {
        if (key.startsWith(VISUAL)) {
            return Part.VISION;
        }
        return key.startsWith(TEXT) ? Part.TEXT : Part.HEAD;
    }

    /** True for the adaptive experts, routers and expert scales of MoAE blocks (not the shared expert). */
    public static boolean isAdaptiveExpert(String key) {
        return key.contains(".mlp.experts.") || key.contains(".mlp.gating.") || key.endsWith(".mlp.scale");
    }

    /**
     * True for what unified training updates (docs/MODEL.md, "Training recipe"): the adaptive experts, routers and scales of both
     * towers, the adapter and {@code score_level}. Everything else (all of CLIP, shared experts,
     * {@code logit_scale}) is frozen.
     */
    public static boolean isTrainable(String key) {
        return isAdaptiveExpert(key) || key.startsWith("adapter.") || key.equals(scoreLevels());
    }

    /**
     * The key a plain CLIP state dict (the backbone Gamma is grown from) uses for the CLIP key {@code key}
     * of a network without experts: the same spelling without the {@code clip_model.} prefix.
     */
    public static String backboneKey(String key) {
        if (!key.startsWith(TEXT)) {
            throw new IllegalArgumentException("'" + key + "' is not a CLIP key; expected one starting with " + TEXT);
        }
        return key.substring(TEXT.length());
    }

    /** Entries of OpenAI's CLIP state dicts that describe the model rather than hold weights; growth ignores them. */
    public static List<String> backboneMetadataKeys() {
        return List.of("input_resolution", "context_length", "vocab_size");
    }

    public static BlockKeys visualBlock(int i, int experts) { return block(VISUAL, i, experts); }
    public static BlockKeys textBlock(int i, int experts) { return block(TEXT, i, experts); }

    /** The keys of the vision tower's blocks, in order: the one walk of a tower's blocks that building and checking share. */
    public static List<BlockKeys> visualBlocks(TransformerConfig t) { return blocks(VISUAL, t); }
    public static List<BlockKeys> textBlocks(TransformerConfig t) { return blocks(TEXT, t); }

    private static List<BlockKeys> blocks(String tower, TransformerConfig t) {
        List<BlockKeys> out = new ArrayList<>(t.layers());
        for (int i = 0; i < t.layers(); i++) {
            out.add(block(tower, i, t.expertsPerLayer().get(i)));
        }
        return out;
    }

    private static BlockKeys block(String tower, int i, int experts) {
        String p = tower + "transformer.resblocks." + i + ".";
        ExpertKeys moe = null;
        MlpKeys mlp = null;
        if (experts > 0) {
            List<MlpKeys> adaptive = new ArrayList<>();
            for (int k = 0; k < experts; k++) {
                adaptive.add(MlpKeys.of(p + "mlp.experts.expert_" + k));
            }
            moe = new ExpertKeys(MlpKeys.of(p + "mlp.useful_experts"), adaptive,
                    LinearKeys.of(p + "mlp.gating.layer1", true), p + "mlp.scale");
        } else {
            mlp = MlpKeys.of(p + "mlp");
        }
        return new BlockKeys(LinearKeys.of(p + "ln_1", true), p + "attn.in_proj_weight", p + "attn.in_proj_bias",
                LinearKeys.of(p + "attn.out_proj", true), LinearKeys.of(p + "ln_2", true), mlp, moe);
    }

    /**
     * Derives the architecture from the checkpoint's keys and shapes; nothing is assumed about ViT-B/16.
     *
     * @throws CheckpointMismatchException naming every key that is missing for the derivation
     */
    public static GammaConfig derive(StateDict sd) throws CheckpointMismatchException {
        List<String> problems = new ArrayList<>();
        for (String k : List.of(visualConv(), visualPositions(), visualProjection(), tokenEmbedding(), textPositions(),
                adapterDown(), scoreLevels())) {
            if (!sd.contains(k)) {
                problems.add("missing " + k);
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException("cannot derive the architecture: " + String.join(", ", problems) + HINT);
        }
        try {
            StoredTensor conv = sd.get(visualConv());
            requireRank(conv, 4, visualConv());
            int visionWidth = dim(conv, 0);
            int patch = dim(conv, 2);
            int positions = dim(sd.get(visualPositions()), 0);
            int grid = (int) Math.round(Math.sqrt(positions - 1));
            if (grid * grid != positions - 1) {
                throw new CheckpointMismatchException(visualPositions() + " has " + positions
                        + " rows, expected a square number of patches plus one" + HINT);
            }
            StoredTensor tokens = sd.get(tokenEmbedding());
            requireRank(tokens, 2, tokenEmbedding());
            int textWidth = dim(tokens, 1);
            int embed = dim(sd.get(visualProjection()), 1);
            int vocabulary = dim(tokens, 0);
            int context = dim(sd.get(textPositions()), 0);
            int adapterHidden = dim(sd.get(adapterDown()), 0);
            int levels = dim(sd.get(scoreLevels()), 0);
            ArchitectureLimits.require("a vision width of", visionWidth, ArchitectureLimits.MAX_WIDTH);
            ArchitectureLimits.require("a text width of", textWidth, ArchitectureLimits.MAX_WIDTH);
            ArchitectureLimits.require("an embedding width of", embed, ArchitectureLimits.MAX_WIDTH);
            ArchitectureLimits.require("an adapter width of", adapterHidden, ArchitectureLimits.MAX_WIDTH);
            ArchitectureLimits.require("a patch size of", patch, ArchitectureLimits.MAX_PATCH);
            ArchitectureLimits.require("a positional grid side of", grid, ArchitectureLimits.MAX_GRID);
            ArchitectureLimits.require("a text context of", context, ArchitectureLimits.MAX_CONTEXT);
            ArchitectureLimits.require("a vocabulary of", vocabulary, ArchitectureLimits.MAX_VOCABULARY);
            ArchitectureLimits.require("a number of quality levels of", levels, ArchitectureLimits.MAX_LEVELS);
            VisionConfig vision = new VisionConfig(patch, patch * grid, tower(sd, VISUAL, visionWidth));
            TextConfig text = new TextConfig(vocabulary, context, tower(sd, TEXT, textWidth));
            GammaConfig config = new GammaConfig(vision, text, embed, adapterHidden, levels);
            ArchitectureLimits.requireParameters(expectedShapes(config));
            return config;
        } catch (IllegalArgumentException e) {
            throw new CheckpointMismatchException("inconsistent architecture: " + e.getMessage() + HINT);
        }
    }

    private static TransformerConfig tower(StateDict sd, String tower, int width) throws CheckpointMismatchException {
        TreeSet<Integer> layers = new TreeSet<>();
        Map<Integer, Integer> experts = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            Matcher m = BLOCK.matcher(key);
            if (!m.find() || !m.group(1).equals(tower)) {
                continue;
            }
            int layer = index(m.group(2), tower + "transformer.resblocks", ArchitectureLimits.MAX_LAYERS);
            layers.add(layer);
            Matcher e = EXPERT.matcher(key);
            if (e.find()) {
                experts.merge(layer, index(e.group(1), "experts per block", ArchitectureLimits.MAX_EXPERTS) + 1, Math::max);
            }
        }
        if (layers.isEmpty() || layers.first() != 0 || layers.last() != layers.size() - 1) {
            throw new CheckpointMismatchException(tower + "transformer.resblocks must be numbered 0..L-1, found " + layers + HINT);
        }
        List<Integer> perLayer = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            perLayer.add(experts.getOrDefault(i, 0));
        }
        BlockKeys first = block(tower, 0, perLayer.get(0));
        String fc = first.mlp() != null ? first.mlp().fc().weight() : first.experts().shared().fc().weight();
        if (!sd.contains(fc)) {
            throw new CheckpointMismatchException("missing " + fc + HINT);
        }
        int hidden = dim(sd.get(fc), 0);
        ArchitectureLimits.require("an MLP width of", hidden, ArchitectureLimits.MAX_HIDDEN);
        return new TransformerConfig(width, hidden, TransformerConfig.headsFor(width), perLayer);
    }

    /** A block or expert number from a key, refused past {@code max - 1} before anything is built for it. */
    private static int index(String digits, String what, int max) throws CheckpointMismatchException {
        if (digits.length() > 9 || Integer.parseInt(digits) >= max) {
            throw new CheckpointMismatchException("a key numbers " + what + " up to " + digits + ", over the " + max
                    + " this reader accepts" + HINT);
        }
        return Integer.parseInt(digits);
    }

    /** Every key a checkpoint of this architecture holds, with its shape, in a stable order. */
    public static Map<String, long[]> expectedShapes(GammaConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        TransformerConfig v = c.vision().transformer();
        long vw = v.width();
        s.put(visualConv(), new long[] {vw, 3, c.vision().patchSize(), c.vision().patchSize()});
        s.put(visualClassEmbedding(), new long[] {vw});
        s.put(visualPositions(), new long[] {c.vision().positions(), vw});
        putLayerNorm(s, visualLnPre(), vw);
        for (BlockKeys b : visualBlocks(v)) {
            putBlock(s, b, v);
        }
        putLayerNorm(s, visualLnPost(), vw);
        s.put(visualProjection(), new long[] {vw, c.embedDim()});
        TransformerConfig t = c.text().transformer();
        long tw = t.width();
        for (BlockKeys b : textBlocks(t)) {
            putBlock(s, b, t);
        }
        s.put(tokenEmbedding(), new long[] {c.text().vocabularySize(), tw});
        s.put(textPositions(), new long[] {c.text().contextLength(), tw});
        putLayerNorm(s, textLnFinal(), tw);
        s.put(textProjection(), new long[] {tw, c.embedDim()});
        s.put(logitScale(), new long[] {});
        s.put(adapterDown(), new long[] {c.adapterHidden(), c.embedDim()});
        s.put(adapterUp(), new long[] {c.embedDim(), c.adapterHidden()});
        s.put(scoreLevels(), new long[] {c.levels()});
        return s;
    }

    private static void putBlock(Map<String, long[]> s, BlockKeys b, TransformerConfig t) {
        long w = t.width();
        putLayerNorm(s, b.ln1(), w);
        s.put(b.inProjWeight(), new long[] {3 * w, w});
        s.put(b.inProjBias(), new long[] {3 * w});
        putLinear(s, b.outProj(), w, w);
        putLayerNorm(s, b.ln2(), w);
        if (b.mlp() != null) {
            putMlp(s, b.mlp(), t);
            return;
        }
        ExpertKeys e = b.experts();
        putMlp(s, e.shared(), t);
        for (MlpKeys m : e.adaptive()) {
            putMlp(s, m, t);
        }
        putLinear(s, e.router(), e.adaptive().size(), w);
        s.put(e.scale(), new long[] {});
    }

    private static void putMlp(Map<String, long[]> s, MlpKeys m, TransformerConfig t) {
        putLinear(s, m.fc(), t.hidden(), t.width());
        putLinear(s, m.proj(), t.width(), t.hidden());
    }

    private static void putLinear(Map<String, long[]> s, LinearKeys l, long out, long in) {
        s.put(l.weight(), new long[] {out, in});
        if (l.bias() != null) {
            s.put(l.bias(), new long[] {out});
        }
    }

    private static void putLayerNorm(Map<String, long[]> s, LinearKeys l, long width) {
        s.put(l.weight(), new long[] {width});
        s.put(l.bias(), new long[] {width});
    }

    /**
     * Checks that {@code sd} holds exactly the keys of {@code c} with the right shapes, and then that every weight is
     * finite (a NaN would make every score NaN).
     *
     * @throws CheckpointMismatchException listing all missing keys, unexpected keys and wrong shapes, or naming the
     *     first tensor that holds a NaN or an infinity
     */
    public static void verify(StateDict sd, GammaConfig c) throws CheckpointMismatchException {
        Map<String, long[]> expected = expectedShapes(c);
        List<String> missing = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!sd.contains(e.getKey())) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(sd.get(e.getKey()).shape(), e.getValue())) {
                wrong.add(e.getKey() + " is " + Arrays.toString(sd.get(e.getKey()).shape())
                        + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        List<String> unexpected = sd.keys().stream().filter(k -> !expected.containsKey(k)).toList();
        if (missing.isEmpty() && unexpected.isEmpty() && wrong.isEmpty()) {
            requireFinite(sd, expected.keySet());
            return;
        }
        StringBuilder msg = new StringBuilder("checkpoint does not match the derived architecture:");
        appendList(msg, "missing keys", missing);
        appendList(msg, "unexpected keys", unexpected);
        appendList(msg, "wrong shapes", wrong);
        throw new CheckpointMismatchException(msg.append(HINT).toString());
    }

    /** One clause of the one-line message: the count and the first {@value #LISTED} items. */
    private static void requireFinite(StateDict sd, java.util.Set<String> keys) throws CheckpointMismatchException {
        for (String key : keys) {
            StoredTensor t = sd.get(key);
            long at = t.firstNonFinite();
            if (at >= 0) {
                throw new CheckpointMismatchException("tensor " + key + " holds NaN or an infinity (element " + at + " of "
                        + t.numel() + "); the weights are damaged, and every score would be NaN");
            }
        }
        float scale = sd.get(logitScale()).toFloats()[0];
        if (!Float.isFinite((float) Math.exp(scale))) {
            throw new CheckpointMismatchException(logitScale() + " is " + scale + ", whose exponential (the logits' scale)"
                    + " overflows float32, and every score would be NaN; CLIP's is about 4.6");
        }
    }

    private static void appendList(StringBuilder msg, String what, List<String> items) {
        if (!items.isEmpty()) {
            msg.append(msg.charAt(msg.length() - 1) == ':' ? " " : "; ").append(items.size()).append(' ').append(what)
                    .append(": ").append(String.join(", ", items.subList(0, Math.min(items.size(), LISTED))))
                    .append(items.size() > LISTED ? ", …" : "");
        }
    }

    private static void requireRank(StoredTensor t, int rank, String key) throws CheckpointMismatchException {
        if (t.rank() != rank) {
            throw new CheckpointMismatchException(key + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + rank + " dimensions" + HINT);
        }
    }

    private static int dim(StoredTensor t, int i) {
        if (i >= t.rank()) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(t.shape()) + " has no dimension " + i);
        }
        if (t.dim(i) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(t.shape()) + " is too large");
        }
        return (int) t.dim(i);
    }
}
