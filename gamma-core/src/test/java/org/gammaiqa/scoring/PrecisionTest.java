package org.gammaiqa.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;

/** The reduced-precision modes against the reference, on CPU: each its own, stated tolerance; fp32 the default. */
class PrecisionTest {
    @Test
    void fp16ScoresStayWithinItsToleranceOfTheReference() throws Exception {
        double worst = largestDifference(RuntimeOptions.Precision.FP16);
        System.out.printf("fp16 on CPU vs reference: largest difference %.3g (tolerance %.0e)%n", worst, RuntimeOptions.FP16_TOLERANCE);
        assertThat(worst).isLessThanOrEqualTo(RuntimeOptions.FP16_TOLERANCE).isGreaterThan(0);
    }

    @Test
    void bf16ScoresStayWithinItsToleranceOfTheReference() throws Exception {
        double worst = largestDifference(RuntimeOptions.Precision.BF16);
        System.out.printf("bf16 on CPU vs reference: largest difference %.3g (tolerance %.0e)%n", worst, RuntimeOptions.BF16_TOLERANCE);
        assertThat(worst).isLessThanOrEqualTo(RuntimeOptions.BF16_TOLERANCE).isGreaterThan(1e-5);
    }

    @Test
    void fp32StaysTheDefault() {
        assertThat(RuntimeOptions.defaults().precision()).isEqualTo(RuntimeOptions.Precision.FP32);
    }

    /** Largest score difference from the reference over the micro fixture's images and scenes. */
    private static double largestDifference(RuntimeOptions.Precision precision) throws Exception {
        Path fixture = TestAssets.fixture("micro-fp16");
        JsonNode expected = new ObjectMapper().readTree(fixture.resolve("scores.json").toFile());
        RuntimeOptions runtime = RuntimeOptions.defaults().withPrecision(precision);
        double worst = 0;
        try (GammaScorer scorer = GammaScorer.load(fixture.resolve("gamma.pth"), TestAssets.vocabulary(), runtime)) {
            for (Scene scene : Scene.values()) {
                JsonNode byImage = expected.get(scene.id());
                List<String> names = new ArrayList<>();
                List<RgbImage> images = new ArrayList<>();
                for (Iterator<String> it = byImage.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    names.add(name);
                    images.add(new ImageDecoder().decode(TestAssets.fixtures().resolve("images").resolve(name)));
                }
                List<ScoreResult> results = scorer.score(images, ScoringOptions.defaults().withPrompts(scene.prompts()));
                for (int i = 0; i < names.size(); i++) {
                    worst = Math.max(worst, Math.abs(results.get(i).score() - byImage.get(names.get(i)).asDouble()));
                }
            }
        }
        return worst;
    }

    @Test
    void devicesAndPrecisionsParseWithClearErrors() {
        assertThat(ComputeDevice.parse("cpu")).isEqualTo(ComputeDevice.cpu());
        assertThat(ComputeDevice.parse(" GPU:1")).isEqualTo(ComputeDevice.gpu(1));
        assertThat(ComputeDevice.parse("cuda")).isEqualTo(ComputeDevice.gpu(0));
        assertThat(ComputeDevice.gpu(2).toString()).isEqualTo("gpu:2");
        assertThat(NativeRuntime.djlDevice(ComputeDevice.gpu(1))).isEqualTo(ai.djl.Device.gpu(1));
        assertThat(NativeRuntime.djlDevice(ComputeDevice.cpu())).isEqualTo(ai.djl.Device.cpu());
        assertThatThrownBy(() -> ComputeDevice.gpu(-1)).hasMessageContaining("0 or more");
        assertThat(RuntimeOptions.parsePrecision("FP16")).isEqualTo(RuntimeOptions.Precision.FP16);
        assertThat(RuntimeOptions.parsePrecision("bfloat16")).isEqualTo(RuntimeOptions.Precision.BF16);
        assertThatThrownBy(() -> RuntimeOptions.parsePrecision("int8")).hasMessageContaining("fp32, fp16 or bf16");
        assertThatThrownBy(() -> ComputeDevice.parse("tpu")).hasMessageContaining("cpu, gpu or gpu:N");
    }
}
