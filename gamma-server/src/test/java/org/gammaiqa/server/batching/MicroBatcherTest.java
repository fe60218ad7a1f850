package org.gammaiqa.server.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;

/** The batcher on the micro fixture: grouping by options, all-or-nothing admission, deadlines, draining. */
class MicroBatcherTest {
    @Test
    void mixedOptionsAreBatchedSeparatelyAndEveryFutureCompletes() throws Exception {
        RgbImage image = new ImageDecoder().decode(TestAssets.fixtures().resolve("images").resolve("scene1.png"));
        ScoringOptions generic = ScoringOptions.defaults();
        ScoringOptions face = generic.withPrompts(Scene.FACE.prompts());
        List<Integer> sizes = new ArrayList<>();
        try (GammaScorer scorer = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary())) {
            double expectedGeneric = scorer.score(image, generic).score();
            double expectedFace = scorer.score(image, face).score();
            MicroBatcher batcher = new MicroBatcher(scorer, 4, Duration.ofMillis(50), 32, (s, nanos) -> {
                synchronized (sizes) {
                    sizes.add(s);
                }
            });
            long far = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            List<CompletableFuture<ScoreResult>> g = new ArrayList<>();
            List<CompletableFuture<ScoreResult>> f = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                g.addAll(batcher.submit(List.of(image), generic, far));
                f.addAll(batcher.submit(List.of(image), face, far));
            }
            CompletableFuture<ScoreResult> late = batcher.submit(List.of(image), generic, System.nanoTime() - 1).get(0);
            batcher.close();
            for (CompletableFuture<ScoreResult> r : g) {
                assertThat(r.join().score()).isCloseTo(expectedGeneric, org.assertj.core.data.Offset.offset(1e-6));
            }
            for (CompletableFuture<ScoreResult> r : f) {
                assertThat(r.join().score()).isCloseTo(expectedFace, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(r.join().prompts()).isEqualTo("face");
            }
            assertThatThrownBy(late::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat(sizes).allMatch(s -> s <= 4);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
            assertThat(sizes).anyMatch(s -> s > 1);
            assertThatThrownBy(() -> batcher.submit(List.of(image), generic, far))
                    .isInstanceOf(RejectedException.class).hasMessageContaining("shutting down");
        }
    }

    @Test
    void aRequestLargerThanTheRoomLeftIsRefusedWhole() throws Exception {
        RgbImage image = new RgbImage(2, 2, new byte[12]);
        try (GammaScorer scorer = GammaScorer.load(TestAssets.fixture("micro-fp16").resolve("gamma.pth"), TestAssets.vocabulary())) {
            MicroBatcher batcher = new MicroBatcher(scorer, 2, Duration.ZERO, 2, (s, nanos) -> { });
            assertThatThrownBy(() -> batcher.submit(List.of(image, image, image), ScoringOptions.defaults(), System.nanoTime() + 1_000_000_000L))
                    .isInstanceOf(RejectedException.class).hasMessageContaining("queue is full").hasMessageContaining("capacity 2");
            assertThat(batcher.queueDepth()).isZero();
            batcher.close();
        }
    }
}
