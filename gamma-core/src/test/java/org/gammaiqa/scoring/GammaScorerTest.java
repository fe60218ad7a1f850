package org.gammaiqa.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.PromptSet;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scorer's behaviour beyond parity: threads, seeds, crop policies, small images, prompt sets. */
class GammaScorerTest {
    private static GammaScorer scorer;
    private static RgbImage wide;

    @BeforeAll
    static void load() throws Exception {
        scorer = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary());
        RgbImage a = new ImageDecoder().decode(TestAssets.fixtures().resolve("images").resolve("scene1.png"));
        wide = ImageOps.resizeBicubic(a, 400, 300); // larger than a crop, so crop positions matter
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    @Test
    void manyThreadsGetTheSameScoresAsOne() throws Exception {
        ScoringOptions o = ScoringOptions.defaults().withCrops(new CropPolicy.Random(3));
        double expected = scorer.score(wide, o).score();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                ScoringOptions each = i % 2 == 0 ? o : o.withPrompts(Scene.values()[i % 6].prompts());
                futures.add(pool.submit(() -> scorer.score(wide, each).score()));
            }
            for (int i = 0; i < futures.size(); i++) {
                double score = futures.get(i).get();
                if (i % 2 == 0) {
                    assertThat(score).isEqualTo(expected);
                } else {
                    assertThat(score).isBetween(0.0, 1.0);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closeWaitsForCallsInFlightAndLaterCallsFailCleanly() throws Exception {
        GammaScorer own = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary());
        ScoringOptions o = ScoringOptions.defaults().withCrops(new CropPolicy.Random(3));
        double expected = own.score(wide, o).score();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> own.score(wide, o).score()));
            }
            Thread.sleep(20);
            own.close(); // frees the weights only once no call uses them: the JVM must not crash
            int scored = 0;
            for (Future<Double> call : calls) {
                try {
                    assertThat(call.get()).isEqualTo(expected);
                    scored++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
                }
            }
            System.out.printf("close during scoring: %d of %d calls finished before it%n", scored, calls.size());
        } finally {
            pool.shutdown();
        }
        assertThatThrownBy(() -> own.score(wide, o)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        own.close(); // a second close is harmless
    }

    @Test
    void theSeedFixesTheCropsAndChangingItChangesTheScore() {
        ScoringOptions o = ScoringOptions.defaults();
        double first = scorer.score(wide, o).score();
        assertThat(scorer.score(wide, o).score()).isEqualTo(first);
        assertThat(scorer.score(wide, o.withSeed(1)).score()).isNotEqualTo(first);
        assertThat(scorer.score(wide, o).crops()).isEqualTo(10);
    }

    @Test
    void cropPoliciesAverageTheirCrops() {
        ScoreResult five = scorer.score(wide, ScoringOptions.defaults().withCrops(CropPolicy.parse("five")));
        ScoreResult center = scorer.score(wide, ScoringOptions.defaults().withCrops(CropPolicy.parse("center")));
        assertThat(five.crops()).isEqualTo(5);
        assertThat(center.crops()).isEqualTo(1);
        assertThat(five.score()).isNotEqualTo(center.score());
        assertThat(five.levels().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void anImageSmallerThanACropIsUpscaledAndSaysSo() {
        RgbImage small = ImageOps.resizeBicubic(wide, 150, 90);
        ScoreResult r = scorer.score(small, ScoringOptions.defaults());
        assertThat(r.upscaled()).isTrue();
        assertThat(r.width()).isEqualTo(150);
        assertThat(r.height()).isEqualTo(90);
        assertThat(scorer.score(wide, ScoringOptions.defaults()).upscaled()).isFalse();
    }

    @Test
    void customPromptsWithTheSceneTextGiveTheSceneScore() {
        PromptSet natural = Scene.NATURAL.prompts();
        PromptSet custom = new PromptSet("custom", natural.prompts());
        ScoringOptions o = ScoringOptions.defaults().withCrops(new CropPolicy.Center());
        assertThat(scorer.score(wide, o.withPrompts(custom)).score()).isEqualTo(scorer.score(wide, o.withPrompts(natural)).score());
        assertThat(scorer.score(wide, o.withPrompts(custom)).prompts()).isEqualTo("custom");
    }

    @Test
    void customPromptSetsPastTheKeptOnesScoreTheSameWithoutBeingKept() {
        ScoringOptions o = ScoringOptions.defaults().withCrops(new CropPolicy.Center());
        PromptSet first = new PromptSet("custom", List.of("bad 0", "poor 0", "fair 0", "good 0", "perfect 0"));
        double expected = scorer.score(wide, o.withPrompts(first)).score();
        for (int i = 1; i <= GammaScorer.KEPT_PROMPT_SETS + 8; i++) {
            scorer.score(wide, o.withPrompts(new PromptSet("custom", List.of("bad " + i, "poor " + i, "fair " + i, "good " + i, "perfect " + i))));
        }
        assertThat(scorer.keptPromptSets()).isEqualTo(GammaScorer.KEPT_PROMPT_SETS);
        PromptSet sameTextOtherName = new PromptSet("custom again", first.prompts());
        assertThat(scorer.score(wide, o.withPrompts(sameTextOtherName)).score()).as("a set past the bound, computed for its call")
                .isEqualTo(expected);
        assertThat(scorer.score(wide, o.withPrompts(first)).score()).isEqualTo(expected);
        assertThat(scorer.keptPromptSets()).isEqualTo(GammaScorer.KEPT_PROMPT_SETS);
    }

    @Test
    void aPromptTooLongForTheContextIsAnError() {
        PromptSet longOnes = new PromptSet("long", List.of("bad " + "very ".repeat(80), "poor", "fair", "good", "perfect"));
        assertThatThrownBy(() -> scorer.score(wide, ScoringOptions.defaults().withPrompts(longOnes)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("77");
    }

    @Test
    void randomCropsStayInsideTheImageAndFiveCropHitsTheCorners() {
        List<CropBox> boxes = new CropPolicy.Random(50).boxes(300, 250, 224, 7);
        assertThat(boxes).hasSize(50).allSatisfy(b -> {
            assertThat(b.left() + 224).isLessThanOrEqualTo(300);
            assertThat(b.top() + 224).isLessThanOrEqualTo(250);
        });
        assertThat(boxes).isEqualTo(new CropPolicy.Random(50).boxes(300, 250, 224, 7));
        assertThat(boxes.stream().map(CropBox::left).distinct().count()).isGreaterThan(10);
        assertThat(new CropPolicy.Five().boxes(300, 250, 224, 0)).containsExactly(new CropBox(0, 0, 224),
                new CropBox(76, 0, 224), new CropBox(0, 26, 224), new CropBox(76, 26, 224), new CropBox(38, 13, 224));
        assertThatThrownBy(() -> CropPolicy.parse("seven")).hasMessageContaining("'center' or 'five'");
    }

    @Test
    void aGroupWithAnImageThatCannotBeScoredScoresTheOthersAloneAndFailsThatOne() {
        RgbImage unscalable = new RgbImage(1, 100_000, new byte[300_000]);   // upscaled, it would not fit an array
        ScoringOptions options = ScoringOptions.defaults();
        List<Scored> out = Scored.together(scorer, List.of(wide, unscalable, wide), options);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).result().score()).isEqualTo(scorer.score(wide, options).score());
        assertThat(out.get(2).result().score()).isEqualTo(out.get(0).result().score());
        assertThat(out.get(1).failed()).isTrue();
        assertThat(out.get(1).result()).isNull();
        assertThat(out.get(1).message()).contains("too many pixels");
        assertThat(out.get(0).message()).isNull();
    }

    @Test
    void aMissingCheckpointIsNamedInTheError() {
        assertThatThrownBy(() -> GammaScorer.load(Path.of("/nonexistent/gamma.pth"), TestAssets.vocabulary()))
                .hasMessageContaining("/nonexistent/gamma.pth");
    }
}
