package org.gammaiqa.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.ComputeDevice;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;

/** Gamma through DJL's Criteria and Predictor gives GammaScorer's results, to the last bit. */
class GammaModelZooTest {
    private static final Path CHECKPOINT = TestAssets.fixture("micro-fp16").resolve("gamma.pth");

    @Test
    void aPredictorScoresAsGammaScorer() throws Exception {
        Criteria<Image, ScoreResult> criteria = Criteria.builder()
                .setTypes(Image.class, ScoreResult.class)
                .optGroupId(GammaModelZoo.GROUP_ID)
                .optArtifactId(GammaModelLoader.ARTIFACT_ID)
                .optArgument(GammaModelLoader.CHECKPOINT, CHECKPOINT.toString())
                .optArgument(GammaModelLoader.VOCABULARY, TestAssets.vocabulary().toString())
                .optArgument(GammaModelLoader.SCENE, "aigc")
                .build();
        ScoringOptions aigc = ScoringOptions.defaults().withPrompts(Scene.AIGC.prompts());
        try (ZooModel<Image, ScoreResult> model = criteria.loadModel();
             Predictor<Image, ScoreResult> predictor = model.newPredictor();
             GammaScorer scorer = GammaScorer.load(CHECKPOINT, TestAssets.vocabulary())) {
            for (String name : new String[] {"scene0.png", "scene1.png", "scene2.png"}) {
                Path file = TestAssets.fixtures().resolve("images").resolve(name);
                ScoreResult fromDjl = predictor.predict(ImageFactory.getInstance().fromFile(file));
                assertThat(fromDjl).isEqualTo(scorer.score(RgbImage.of(ImageIO.read(file.toFile())), aigc));
                assertThat(fromDjl).isEqualTo(scorer.score(file, aigc));
            }
        }
    }

    @Test
    void withoutACheckpointItIsTheDemoModel() throws Exception {
        Criteria<Image, ScoreResult> criteria = Criteria.builder().setTypes(Image.class, ScoreResult.class)
                .optGroupId(GammaModelZoo.GROUP_ID).optArtifactId(GammaModelLoader.ARTIFACT_ID).build();
        Path file = TestAssets.fixtures().resolve("images/scene0.png");
        try (ZooModel<Image, ScoreResult> model = criteria.loadModel();
             Predictor<Image, ScoreResult> predictor = model.newPredictor()) {
            ScoreResult r = predictor.predict(ImageFactory.getInstance().fromFile(file));
            assertThat(r.model()).isEqualTo(DemoModel.NAME);
            assertThat(r.levels()).hasSize(5);
            assertThat(r.width()).isEqualTo(224);
        }
    }

    @Test
    void otherTypesAndDevicesAreRefusedClearly() {
        Criteria<Path, String> wrong = Criteria.builder().setTypes(Path.class, String.class)
                .optGroupId(GammaModelZoo.GROUP_ID).optArtifactId(GammaModelLoader.ARTIFACT_ID).build();
        assertThatThrownBy(wrong::loadModel).isInstanceOf(ModelNotFoundException.class)
                .hasStackTraceContaining("Gamma scores ai.djl.modality.cv.Image");
        assertThat(GammaModelLoader.computeDevice(Device.gpu(1))).isEqualTo(ComputeDevice.gpu(1));
        assertThat(GammaModelLoader.computeDevice(null)).isEqualTo(ComputeDevice.cpu());
    }
}
