package org.gammaiqa.djl;

import ai.djl.Application;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.gammaiqa.scoring.ComputeDevice;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.text.Scene;

/**
 * Loads the {@code gamma} model of {@link GammaModelZoo} for {@code Criteria} of {@code Image} to {@link ScoreResult}.
 * Its arguments ({@code Criteria.Builder.optArgument}): {@value #CHECKPOINT} (a path; without it, the built-in demo
 * model), {@value #VOCABULARY} (the CLIP vocabulary, for checkpoints with a CLIP text tower), {@value #SCENE} (a
 * prompt set: {@code generic}, {@code natural}, {@code aigc}, {@code underwater}, {@code face}, {@code aesthetic}) and
 * {@value #PRECISION} ({@code fp32}, {@code fp16} or {@code bf16}); the device is the criteria's. Nothing is
 * downloaded: the checkpoint is read where it lies.
 */
public final class GammaModelLoader implements ModelLoader {
    /** The model's artifact id, for {@code Criteria.Builder.optArtifactId}. */
    public static final String ARTIFACT_ID = "gamma";
    /** Argument: the checkpoint file (torch.save or safetensors); absent for the demo model. */
    public static final String CHECKPOINT = "checkpoint";
    /** Argument: the CLIP BPE vocabulary file. */
    public static final String VOCABULARY = "vocabulary";
    /** Argument: the prompt set, by scene name (default {@code generic}). */
    public static final String SCENE = "scene";
    /** Argument: the arithmetic precision (default {@code fp32}, which reproduces the reference). */
    public static final String PRECISION = "precision";

    @Override
    public String getGroupId() {
        return GammaModelZoo.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return ARTIFACT_ID;
    }

    @Override
    public Application getApplication() {
        return Application.UNDEFINED;
    }

    @Override
    public MRL getMrl() {
        return MRL.undefined(null, GammaModelZoo.GROUP_ID, ARTIFACT_ID);
    }

    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria) throws IOException, ModelNotFoundException {
        if (criteria.getInputClass() != Image.class || criteria.getOutputClass() != ScoreResult.class) {
            throw new ModelNotFoundException("Gamma scores " + Image.class.getName() + " to " + ScoreResult.class.getName()
                    + ", not " + criteria.getInputClass().getName() + " to " + criteria.getOutputClass().getName());
        }
        Map<String, Object> arguments = criteria.getArguments() == null ? Map.of() : criteria.getArguments();
        Object precision = arguments.getOrDefault(PRECISION, "fp32");
        RuntimeOptions runtime = RuntimeOptions.defaults().withDevice(computeDevice(criteria.getDevice()))
                .withPrecision(RuntimeOptions.parsePrecision(precision.toString()));
        ScoringOptions options = ScoringOptions.defaults()
                .withPrompts(Scene.parse(arguments.getOrDefault(SCENE, "generic").toString()).prompts());
        Object checkpoint = arguments.get(CHECKPOINT);
        Object vocabulary = arguments.get(VOCABULARY);
        GammaScorer scorer = checkpoint == null ? DemoModel.load(runtime)
                : GammaScorer.load(Path.of(checkpoint.toString()), vocabulary == null ? null : Path.of(vocabulary.toString()), runtime);
        Model model = Model.newInstance(scorer.source().name(), criteria.getDevice(), "PyTorch");
        model.setBlock(new GammaBlock(scorer, options));
        // the scorer's weights are freed with the model
        model.getNDManager().attachInternal(UUID.randomUUID().toString(), scorer);
        @SuppressWarnings("unchecked")
        ZooModel<I, O> zooModel = (ZooModel<I, O>) new ZooModel<>(model, new GammaTranslator(scorer.source(), options));
        return zooModel;
    }

    /** The project's device for DJL's (null: the CPU). */
    static ComputeDevice computeDevice(Device device) {
        if (device == null || Device.Type.CPU.equals(device.getDeviceType())) {
            return ComputeDevice.cpu();
        }
        if (device.isGpu()) {
            return ComputeDevice.gpu(device.getDeviceId());
        }
        throw new IllegalArgumentException("Gamma runs on the CPU or a GPU, not on " + device);
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
        // nothing to download: the checkpoint is a local file, the demo model is in gamma-core's jar
    }

    @Override
    public String toString() {
        return GammaModelZoo.GROUP_ID + ":" + ARTIFACT_ID;
    }
}
