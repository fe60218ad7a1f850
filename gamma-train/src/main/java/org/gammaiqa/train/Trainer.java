package org.gammaiqa.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.DType;
import org.gammaiqa.checkpoint.SafetensorsWriter;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.checkpoint.TorchCheckpointWriter;
import org.gammaiqa.data.DatasetSpec;
import org.gammaiqa.data.Phase;
import org.gammaiqa.data.Sample;
import org.gammaiqa.eval.EvalReport;
import org.gammaiqa.eval.Evaluator;
import org.gammaiqa.eval.Metric;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.scoring.DecodeAhead;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.Scene;
import org.gammaiqa.text.Tokenizer;
import org.gammaiqa.train.config.TrainConfig;

/**
 * The unified training loop (docs/MODEL.md, "Training recipe"): all training datasets concatenated and shuffled together, per-dataset
 * transforms, per-sample scene prompts, MSE on the normalised MOS (with {@code train.rank_loss_opt}, plus a ranking
 * term over the series {@link BatchPlanner} puts in each batch), torch's Adam, cosine lr stepped per epoch;
 * validation with the 10-crop protocol every {@code val_freq_epoch} epochs and at the end, {@code best} kept by
 * the key metric's mean over the validation sets. Images are decoded on worker threads ahead of the network.
 *
 * <p>Output folder: {@code latest.pth}/{@code .safetensors} (every {@code save_latest_freq} steps and at the end),
 * {@code best.*}, {@code optimizer.safetensors} and {@code state.json} (for {@link Options#resume}),
 * {@code metrics.jsonl} (one line per step and per validation), and with {@code logger.save_epoch_weights} the
 * weights at the end of epoch N as {@code epoch-N.safetensors}. Every file is replaced atomically.
 */
public final class Trainer {
    /** Batches decoded ahead of the one being trained on. */
    private static final int PREFETCH_BATCHES = 2;
    private static final String STEP_KEY = "__step__";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ImageDecoder DECODER = new ImageDecoder();

    /**
     * @param out      output folder (created); with {@code resume} true it must hold an earlier run's state
     * @param maxSteps stop after this many steps in total (0: run all epochs)
     */
    public record Options(Path out, boolean resume, long maxSteps, int evalCrops) {}

    /** One sample with the dataset it came from. */
    private record Item(Sample sample, DatasetSpec dataset) {}

    /** One sample of a planned batch, to be decoded and cropped with its planned seed. */
    private record CropTask(Item item, long seed) {}

    private final TrainConfig config;
    private final Path vocabulary;
    private final Options options;
    private final TrainingListener listener;
    private final CosineSchedule schedule;

    /** @param vocabulary CLIP's vocabulary; may be null for a model whose text tower reads bytes (network.scratch) */
    public Trainer(TrainConfig config, Path vocabulary, Options options, TrainingListener listener) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.options = options;
        this.listener = listener;
        this.schedule = new CosineSchedule(config.optimiser().lr(), config.schedule().tMax(), config.schedule().etaMin());
    }

    /** The model a fresh run starts from: a Gamma checkpoint, or MoAE grown from the CLIP backbone or a random one. */
    public static StateDict initialWeights(TrainConfig config) throws IOException {
        if (config.model().pretrained() != null) {
            return CheckpointReader.read(config.model().pretrained());
        }
        StateDict backbone = config.model().scratch() != null
                ? ModelGrowth.randomBackbone(config.model().scratch().plainConfig(), config.seed())
                : CheckpointReader.read(config.model().backbone());
        return ModelGrowth.grow(backbone, config.model().numExperts(), config.model().numFtLayer(), config.seed());
    }

    /** Runs (or continues) training; returns the final state. */
    public TrainState run() throws IOException {
        config.checkFiles();
        Path out = options.out();
        Files.createDirectories(out);
        List<Item> items = new ArrayList<>();
        for (DatasetSpec d : config.data().train()) {
            for (Sample s : d.load(Phase.TRAIN)) {
                items.add(new Item(s, d));
            }
        }
        BatchPlanner planner = new BatchPlanner(config.seed(), config.data().batchSize(), config.data().shuffle(), items.size(),
                config.optimiser().rankLoss(), SeriesIndex.of(items.stream().map(Item::sample).toList(),
                        items.stream().map(i -> i.dataset().key()).toList()));
        int batchesPerEpoch = planner.batchesPerEpoch();
        long totalSteps = (long) batchesPerEpoch * config.schedule().totalEpochs();
        TrainState state;
        StateDict weights;
        if (options.resume()) {
            state = TrainState.read(out);
            if (state.seed() != config.seed()) {
                throw new IOException("cannot resume: " + out + " was trained with manual_seed " + state.seed()
                        + " but the config says " + config.seed() + "; resume with the config the run started with");
            }
            weights = CheckpointReader.read(out.resolve("latest.pth"));
        } else {
            state = new TrainState(0, 0, 0, Double.NaN, -1, config.seed());
            weights = initialWeights(config);
        }
        long stopAt = options.maxSteps() > 0 ? Math.min(totalSteps, options.maxSteps()) : totalSteps;
        Tokenizer tokenizer = Tokenizer.forModel(CheckpointLayout.derive(weights).text().vocabularySize(), vocabulary);
        try (TrainingModel model = new TrainingModel(weights, tokenizer, config.optimiser().trainable());
             BufferedWriter log = Files.newBufferedWriter(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            if (options.resume()) {
                restoreOptimizer(model, out, state.step());
            }
            listener.started(state.step(), stopAt, items.size());
            long step = state.step();
            long started = System.nanoTime();
            long stepsThisRun = 0;
            for (int epoch = state.epoch(); epoch < config.schedule().totalEpochs() && step < stopAt; epoch++) {
                double lr = schedule.lr(epoch);
                int first = epoch == state.epoch() ? state.nextBatch() : 0;
                Deque<BatchPlanner.Plan> planned = new ArrayDeque<>();
                try (DecodeAhead<CropTask, RgbImage> crops = new DecodeAhead<>("gamma-train-decode", config.data().workers(),
                        (PREFETCH_BATCHES + 1) * config.data().batchSize(), tasks(planner, items, epoch, first, batchesPerEpoch, planned),
                        Trainer::decode)) {
                    for (int b = first; b < batchesPerEpoch && step < stopAt; b++) {
                        crops.hasNext();   // plans batch b, at the latest
                        TrainingBatch batch = assemble(planned.poll(), crops, items);
                        double loss = model.step(batch, lr, config.optimiser().lossWeight(), config.optimiser().rankLoss());
                        step++;
                        stepsThisRun++;
                        double seconds = (System.nanoTime() - started) / 1e9;
                        double perSecond = stepsThisRun * (double) config.data().batchSize() / seconds;
                        double eta = (stopAt - step) * seconds / stepsThisRun;
                        listener.step(new TrainingListener.StepReport(step, stopAt, epoch, loss, lr, perSecond, eta));
                        logLine(log, JSON.createObjectNode().put("type", "step").put("step", step).put("epoch", epoch)
                                .put("loss", loss).put("lr", lr).put("images_per_s", perSecond));
                        boolean epochDone = b + 1 == batchesPerEpoch;
                        state = new TrainState(step, epochDone ? epoch + 1 : epoch, epochDone ? 0 : b + 1,
                                state.bestMetric(), state.bestStep(), config.seed());
                        if (epochDone && config.logging().saveEpochWeights()) {   // before any saved state says the epoch is done
                            SafetensorsWriter.write(out.resolve("epoch-" + (epoch + 1) + ".safetensors"), model.stateDict());
                        }
                        if (step % config.logging().saveLatestFreq() == 0 || step == stopAt) {
                            saveLatest(model, state, out);
                        }
                    }
                }
                boolean finishedEpoch = state.epoch() == epoch + 1 && state.nextBatch() == 0;
                boolean validate = finishedEpoch && !config.data().val().isEmpty()
                        && ((epoch + 1) % config.validation().valFreqEpoch() == 0 || epoch + 1 == config.schedule().totalEpochs());
                if (validate) {
                    state = validate(model, state, epoch, out, log);
                }
            }
            return state;
        }
    }

    /**
     * The samples of batches [first, last) of an epoch in order, planned as they are reached; each plan is added to
     * {@code planned} when its first sample is handed out.
     */
    private static Iterator<CropTask> tasks(BatchPlanner planner, List<Item> items, int epoch, int first, int last,
                                            Deque<BatchPlanner.Plan> planned) {
        return new Iterator<>() {
            private int batch = first;
            private BatchPlanner.Plan plan;
            private int next;

            @Override
            public boolean hasNext() {
                return (plan != null && next < plan.items().length) || batch < last;
            }

            @Override
            public CropTask next() {
                if (plan == null || next == plan.items().length) {
                    if (batch == last) {
                        throw new NoSuchElementException();
                    }
                    plan = planner.plan(epoch, batch++);
                    planned.add(plan);
                    next = 0;
                }
                int i = next++;
                return new CropTask(items.get(plan.items()[i]), plan.cropSeeds()[i]);
            }
        };
    }

    /** Decodes and transforms one sample with its planned crop seed; a failure names the image and its dataset. */
    private static RgbImage decode(CropTask task) throws IOException {
        Item item = task.item();
        try {
            return item.dataset().augment().train(DECODER.decode(item.sample().image()), ScoringProtocol.CROP_SIZE,
                    new SplittableRandom(task.seed()));
        } catch (IOException | RuntimeException e) {
            throw new IOException(item.sample().image() + " (dataset " + item.dataset().name() + "): " + e.getMessage(), e);
        }
    }

    private static TrainingBatch assemble(BatchPlanner.Plan plan, DecodeAhead<CropTask, RgbImage> crops, List<Item> items)
            throws IOException {
        int size = ScoringProtocol.CROP_SIZE;
        int n = plan.items().length;
        float[] pixels = new float[n * 3 * size * size];
        float[] mos = new float[n];
        List<Scene> scenes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Item item = items.get(plan.items()[i]);
            ScoringProtocol.normalise(crops.next(), pixels, i * 3 * size * size);
            mos[i] = (float) item.sample().mos();
            scenes.add(item.dataset().scene());
        }
        return new TrainingBatch(pixels, size, mos, scenes, plan.series());
    }

    private void saveLatest(TrainingModel model, TrainState state, Path out) throws IOException {
        StateDict weights = model.stateDict();
        TorchCheckpointWriter.write(out.resolve("latest.pth"), weights, "params");
        SafetensorsWriter.write(out.resolve("latest.safetensors"), weights);
        SafetensorsWriter.write(out.resolve("optimizer.safetensors"), optimizerState(model.optimizer(), state.step()));
        state.write(out);
        listener.saved(out.resolve("latest.pth"), state.step());
    }

    private static StateDict optimizerState(TorchAdam adam, long step) {
        Map<String, StoredTensor> t = new LinkedHashMap<>();
        ByteBuffer s = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, step).putLong(8, adam.steps());
        t.put(STEP_KEY, new StoredTensor(DType.I64, new long[] {2}, s));
        adam.firstMoments().forEach((k, v) -> t.put("exp_avg." + k, StoredTensor.ofFloats(v.getShape().getShape(), v.toFloatArray())));
        adam.secondMoments().forEach((k, v) -> t.put("exp_avg_sq." + k, StoredTensor.ofFloats(v.getShape().getShape(), v.toFloatArray())));
        return new StateDict(t);
    }

    private static void restoreOptimizer(TrainingModel model, Path out, long step) throws IOException {
        StateDict sd = CheckpointReader.read(out.resolve("optimizer.safetensors"));
        long[] steps = sd.get(STEP_KEY).toLongs();
        if (steps[0] != step) {
            throw new IOException("cannot resume from " + out + ": optimizer.safetensors is from step " + steps[0]
                    + " but state.json says step " + step + " (was the run killed while saving? rerun from an earlier copy)");
        }
        Map<String, float[]> first = new LinkedHashMap<>();
        Map<String, float[]> second = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            if (key.startsWith("exp_avg_sq.")) {
                second.put(key.substring("exp_avg_sq.".length()), sd.get(key).toFloats());
            } else if (key.startsWith("exp_avg.")) {
                first.put(key.substring("exp_avg.".length()), sd.get(key).toFloats());
            }
        }
        model.optimizer().restore(steps[1], first, second);
    }

    private TrainState validate(TrainingModel model, TrainState state, int epoch, Path out, BufferedWriter log) throws IOException {
        saveLatest(model, state, out);
        EvalReport report;
        try (GammaScorer scorer = GammaScorer.load(out.resolve("latest.pth"), vocabulary)) {
            report = new Evaluator(scorer, options.evalCrops(), config.seed(), config.data().workers()).evaluate(config.data().val(), Phase.VAL);
        }
        double value = report.mean(Metric.parse(config.validation().keyMetric()));
        boolean best = Double.isNaN(state.bestMetric()) || value > state.bestMetric();
        ObjectNode line = JSON.createObjectNode().put("type", "validation").put("step", state.step()).put("epoch", epoch);
        line.set("results", report.json());
        logLine(log, line.put("best", best));
        if (best) {
            copy(out.resolve("latest.pth"), out.resolve("best.pth"));
            copy(out.resolve("latest.safetensors"), out.resolve("best.safetensors"));
            state = new TrainState(state.step(), state.epoch(), state.nextBatch(), value, state.step(), state.seed());
            state.write(out);
        }
        listener.validated(epoch, state.step(), report, best);
        return state;
    }

    private static void copy(Path from, Path to) throws IOException {
        Path temp = Files.createTempFile(to.toAbsolutePath().getParent(), "." + to.getFileName(), ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void logLine(BufferedWriter log, ObjectNode line) throws IOException {
        log.write(line.toString());
        log.newLine();
        log.flush();
    }
}
