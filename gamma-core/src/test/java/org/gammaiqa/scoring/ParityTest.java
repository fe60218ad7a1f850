package org.gammaiqa.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scores from Java against the PyTorch reference ({@code fixtures/regenerate.sh}) on the same
 * checkpoint and pixels, for every scene: the contract is a largest difference ≤ 1e-5.
 */
class ParityTest {
    private static final double TOLERANCE = 1e-5;
    private static GammaScorer scorer;
    private static JsonNode expected;
    private static Path images;

    @BeforeAll
    static void load() throws Exception {
        Path fixture = TestAssets.fixture("micro-fp16");
        images = TestAssets.fixtures().resolve("images");
        scorer = GammaScorer.load(fixture.resolve("gamma.pth"), TestAssets.vocabulary());
        expected = new ObjectMapper().readTree(fixture.resolve("scores.json").toFile());
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    @Test
    void everySceneMatchesTheReference() throws Exception {
        double worst = 0;
        int compared = 0;
        for (Scene scene : Scene.values()) {
            JsonNode byImage = expected.get(scene.name().toLowerCase());
            assertThat(byImage).as("reference scores for " + scene).isNotNull();
            List<String> names = new ArrayList<>();
            List<RgbImage> pixels = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = byImage.fields(); it.hasNext(); ) {
                String name = it.next().getKey();
                names.add(name);
                pixels.add(new ImageDecoder().decode(images.resolve(name)));
            }
            List<ScoreResult> results = scorer.score(pixels, ScoringOptions.defaults().withPrompts(scene.prompts()));
            for (int i = 0; i < names.size(); i++) {
                double diff = Math.abs(results.get(i).score() - byImage.get(names.get(i)).asDouble());
                worst = Math.max(worst, diff);
                compared++;
                assertThat(results.get(i).levels()).hasSize(5);
                assertThat(results.get(i).levels().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        System.out.printf("parity micro-fp16: %d scores compared, largest difference %.3g%n", compared, worst);
        assertThat(compared).isEqualTo(18);
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void singleImageCallsEqualBatchedCalls() throws Exception {
        RgbImage img = new ImageDecoder().decode(images.resolve("scene1.png"));
        RgbImage other = new ImageDecoder().decode(images.resolve("scene2.png"));
        ScoringOptions o = ScoringOptions.defaults();
        double alone = scorer.score(img, o).score();
        double batched = scorer.score(List.of(other, img), o).get(1).score();
        assertThat(batched).isCloseTo(alone, org.assertj.core.data.Offset.offset(1e-6));
    }
}
