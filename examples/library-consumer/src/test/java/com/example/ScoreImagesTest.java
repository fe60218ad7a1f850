package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;

/** The README's library code, run from the installed artifacts in a JVM of this project's own. */
class ScoreImagesTest {
    private static final Path ROOT = Path.of(System.getProperty("gamma.root"));
    private static final Path SHARED = Path.of(System.getProperty("gamma.shared"));
    /** Keys that JNA (which DJL loads to look for CUDA) and the JDK (Java2D, the default time zone) add on first use. */
    private static final Set<String> THIRD_PARTY_FIRST_USE = Set.of("jna.loaded", "jnidispatch.path",
            "jna.platform.library.path", "sun.font.fontmanager", "user.timezone");

    @Test
    void theDemoModelRanksTheCleanExampleFirstAndLeavesTheJvmsPropertiesAlone() throws Exception {
        Map<Object, Object> before = new HashMap<>(System.getProperties());
        List<Path> images = List.of("1-clean.png", "2-noise.png", "3-blur.png", "4-low-contrast.png").stream()
                .map(ROOT.resolve("examples")::resolve).toList();
        List<ScoreResult> results = ScoreImages.score(null, null, Scene.GENERIC, images);
        Map<Object, Object> after = new HashMap<>(System.getProperties());

        Set<Object> changed = new HashSet<>(after.keySet());
        changed.addAll(before.keySet());
        changed.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
        assertTrue(THIRD_PARTY_FIRST_USE.containsAll(changed.stream().map(Object::toString).collect(Collectors.toSet())),
                "system properties changed by a library call: " + changed);
        changed.forEach(k -> assertTrue(!before.containsKey(k), "a system property the JVM had was changed: " + k));

        for (int i = 1; i < results.size(); i++) {
            assertTrue(results.get(0).score() > results.get(i).score() + 0.05,
                    "clean " + results.get(0).score() + " vs " + images.get(i) + " " + results.get(i).score());
        }
        for (ScoreResult r : results) {
            assertEquals(DemoModel.NAME, r.model());
            assertEquals(64, r.modelSha256().length());
        }
        System.out.println("demo model: " + results.stream().map(r -> String.format("%.4f", r.score())).toList());
    }

    @Test
    void aReleasedLayoutCheckpointScoresAsThePyTorchReference() throws Exception {
        Path fixture = ROOT.resolve("fixtures/micro-fp16");
        JsonNode expected = new ObjectMapper().readTree(fixture.resolve("scores.json").toFile()).get("natural");
        List<Path> images = List.of("scene0.png", "scene1.png", "scene2.png").stream()
                .map(ROOT.resolve("fixtures/images")::resolve).toList();
        List<ScoreResult> results = ScoreImages.score(fixture.resolve("gamma.pth"), SHARED.resolve("clip/bpe_simple_vocab_16e6.txt.gz"),
                Scene.NATURAL, images);
        double worst = 0;
        for (int i = 0; i < images.size(); i++) {
            worst = Math.max(worst, Math.abs(results.get(i).score() - expected.get(images.get(i).getFileName().toString()).asDouble()));
            assertEquals("gamma.pth", results.get(i).model());
        }
        System.out.println("released layout: largest difference from the reference " + worst);
        assertTrue(worst <= 1e-5, "largest difference " + worst);
    }

    @Test
    void djlUsersLoadGammaThroughCriteriaAndScoreThroughAPredictor() throws Exception {
        Path checkpoint = ROOT.resolve("fixtures/micro-fp16/gamma.pth");
        Path vocabulary = SHARED.resolve("clip/bpe_simple_vocab_16e6.txt.gz");
        Path image = ROOT.resolve("fixtures/images/scene1.png");
        Criteria<Image, ScoreResult> criteria = Criteria.builder()
                .setTypes(Image.class, ScoreResult.class)
                .optGroupId("org.gammaiqa").optArtifactId("gamma")
                .optArgument("checkpoint", checkpoint.toString())
                .optArgument("vocabulary", vocabulary.toString())
                .optArgument("scene", "aigc")
                .build();
        try (ZooModel<Image, ScoreResult> model = criteria.loadModel();
             Predictor<Image, ScoreResult> predictor = model.newPredictor()) {
            ScoreResult fromDjl = predictor.predict(ImageFactory.getInstance().fromFile(image));
            ScoreResult direct = ScoreImages.score(checkpoint, vocabulary, Scene.AIGC, List.of(image)).get(0);
            assertEquals(direct, fromDjl);
        }
    }
}
