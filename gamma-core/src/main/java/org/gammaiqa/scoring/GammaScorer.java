package org.gammaiqa.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.gammaiqa.checkpoint.CheckpointException;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.model.CheckpointMismatchException;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.model.GammaNetwork;
import org.gammaiqa.text.PromptSet;
import org.gammaiqa.text.Tokenizer;

/**
 * The library's entry point: a loaded Gamma model that scores images. Load once and share: every
 * method is thread-safe, each call working in its own native memory scope. Prompt features are
 * computed once per prompt set and kept, since they depend only on the weights and the prompts; past
 * {@link #KEPT_PROMPT_SETS} sets (custom prompts sent to a service, say) they are computed per call instead.
 * {@link #close} waits for the calls in flight, then frees the weights; a call after it fails with
 * {@link IllegalStateException}.
 */
public final class GammaScorer implements AutoCloseable {
    private static final ImageDecoder DECODER = new ImageDecoder();
    /** Most prompt sets whose features are kept: the six scenes and a few dozen custom sets. */
    static final int KEPT_PROMPT_SETS = 64;
    private final NDManager manager;
    private final GammaNetwork network;
    private final Tokenizer tokenizer;
    private final ModelSource source;
    private final RuntimeOptions runtime;
    private final ConcurrentHashMap<PromptSet, NDArray> promptFeatures = new ConcurrentHashMap<>();
    private final ThreadLocal<ByteBuffer> inputBuffers = new ThreadLocal<>();
    /** Calls hold the read lock; close takes the write lock, so the weights are never freed under a call. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private GammaScorer(NDManager manager, GammaNetwork network, Tokenizer tokenizer, ModelSource source,
                        RuntimeOptions runtime) {
        this.manager = manager;
        this.network = network;
        this.tokenizer = tokenizer;
        this.source = source;
        this.runtime = runtime;
    }

    /**
     * Loads a checkpoint (torch.save or safetensors) and the CLIP vocabulary, on the CPU in float32. The vocabulary
     * may be null for a checkpoint whose text tower reads bytes ({@link org.gammaiqa.text.ByteTokenizer}).
     */
    public static GammaScorer load(Path checkpoint, Path vocabulary) throws IOException {
        return load(checkpoint, vocabulary, RuntimeOptions.defaults());
    }

    /** Loads a checkpoint and the CLIP vocabulary to run as {@code runtime} says. */
    public static GammaScorer load(Path checkpoint, Path vocabulary, RuntimeOptions runtime) throws IOException {
        return load(checkpoint, vocabulary, runtime, null);
    }

    /** As {@link #load(Path, Path, RuntimeOptions)}, the model named {@code name} (null: the file name). */
    static GammaScorer load(Path checkpoint, Path vocabulary, RuntimeOptions runtime, String name) throws IOException {
        StateDict sd = CheckpointReader.read(checkpoint);
        NativeRuntime.configure();
        NDManager manager = NDManager.newBaseManager(runtime.device(), "PyTorch");
        try {
            DataType type = runtime.precision() == RuntimeOptions.Precision.FP16 ? DataType.FLOAT16 : DataType.FLOAT32;
            GammaNetwork network = GammaNetwork.fromStateDict(sd, manager, type,
                    runtime.precision() == RuntimeOptions.Precision.BF16);
            Tokenizer tokenizer = Tokenizer.forModel(network.config().text().vocabularySize(), vocabulary);
            // The float32 weights are used in place from the memory-mapped file; the experts' pages,
            // copied into the fused matrices, are released when their mappings are collected.
            sd = null;
            System.gc();
            return new GammaScorer(manager, network, tokenizer, new ModelSource(checkpoint, name), runtime);
        } catch (CheckpointMismatchException e) {
            manager.close();
            throw new CheckpointException(checkpoint, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public RuntimeOptions runtime() {
        return runtime;
    }

    public GammaConfig config() {
        return network.config();
    }

    /** The checkpoint this model was loaded from, with its SHA-256. */
    public ModelSource source() {
        return source;
    }

    /** Decodes and scores one image file. */
    public ScoreResult score(Path image, ScoringOptions options) throws IOException {
        return score(DECODER.decode(image), options);
    }

    public ScoreResult score(RgbImage image, ScoringOptions options) {
        return score(List.of(image), options).get(0);
    }

    /** Scores several decoded images, their crops sharing forward passes; results in input order. */
    public List<ScoreResult> score(List<RgbImage> images, ScoringOptions options) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("this GammaScorer (" + source.name() + ") is closed");
            }
            return scoreOpen(images, options);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private List<ScoreResult> scoreOpen(List<RgbImage> images, ScoringOptions options) {
        NDArray kept = promptFeatures.get(options.prompts());
        if (kept != null || promptFeatures.size() < KEPT_PROMPT_SETS) {
            return scoreWith(images, options, kept != null ? kept : promptFeatures.computeIfAbsent(options.prompts(), p -> promptFeatures(p, manager)));
        }
        try (NDManager once = manager.newSubManager()) {
            return scoreWith(images, options, promptFeatures(options.prompts(), once));
        }
    }

    private List<ScoreResult> scoreWith(List<RgbImage> images, ScoringOptions options, NDArray prompts) {
        CropBatch batch = CropBatch.of(images, options);
        int n = batch.size();
        float[] scores = new float[n];
        float[] probabilities = new float[n * options.prompts().prompts().size()];
        int maxBatch = runtime.maxCropsPerPass();
        for (int start = 0; start < n; start += maxBatch) {
            int end = Math.min(n, start + maxBatch);
            try (NDManager call = manager.newSubManager()) {
                NDArray pixels = call.create(inputBuffer(batch, start, end),
                                new Shape(end - start, 3, batch.cropSize(), batch.cropSize()), DataType.FLOAT32)
                        .toType(network.dataType(), false);
                NDArray p = network.levelProbabilities(network.imageFeatures(pixels), prompts);
                float[] ps = p.toType(DataType.FLOAT32, false).toFloatArray();
                float[] s = network.score(p).toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(s, 0, scores, start, s.length);
                System.arraycopy(ps, 0, probabilities, start * ps.length / s.length, ps.length);
            }
        }
        return batch.average(scores, probabilities, options);
    }

    /**
     * The crops [start, end) written into this thread's reusable native input buffer. The input
     * array aliases the buffer without a copy; it is closed before this thread's next call.
     */
    private ByteBuffer inputBuffer(CropBatch batch, int start, int end) {
        int bytes = (end - start) * 3 * batch.cropSize() * batch.cropSize() * Float.BYTES;
        ByteBuffer buffer = inputBuffers.get();
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            inputBuffers.set(buffer);
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        batch.pixels(start, end, view.asFloatBuffer());
        return view.slice().order(ByteOrder.nativeOrder());
    }

    /** How many prompt sets have their features kept. */
    int keptPromptSets() {
        return promptFeatures.size();
    }

    /** Transposed, L2-normalised features (E, L) of a prompt set, in {@code owner}'s memory. */
    private NDArray promptFeatures(PromptSet p, NDManager owner) {
        int context = network.config().text().contextLength();
        List<String> texts = p.prompts();
        long[] ids = tokenizer.tokenizeAll(texts, context);
        if (texts.size() != network.config().levels()) {
            throw new IllegalArgumentException("prompt set '" + p.name() + "' has " + texts.size()
                    + " prompts but the model has " + network.config().levels() + " quality levels");
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray features = network.textFeatures(call.create(ids, new Shape(texts.size(), context))).transpose();
            NDArray kept = features.duplicate();
            kept.attach(owner);
            return kept;
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                manager.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
