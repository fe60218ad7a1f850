package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.gammaiqa.model.CheckpointLayout;
import org.junit.jupiter.api.Test;

/** {@code train.trainable}: which checkpoint keys each choice updates. */
class TrainableTest {
    private static final String VISION_EXPERT = "clip_model.visual.transformer.resblocks.3.mlp.experts.expert_0.c_fc.weight";
    private static final String TEXT_EXPERT = "clip_model.transformer.resblocks.1.mlp.experts.expert_0.c_fc.weight";
    private static final String VISION_SHARED = "clip_model.visual.transformer.resblocks.3.mlp.useful_experts.c_fc.weight";
    private static final String TEXT_ATTENTION = "clip_model.transformer.resblocks.0.attn.in_proj_weight";

    @Test
    void visionTrainsTheVisionTowerAndHeadButNoTextWeight() {
        assertThat(List.of(CheckpointLayout.visualConv(), VISION_SHARED, VISION_EXPERT, CheckpointLayout.visualProjection(),
                CheckpointLayout.adapterDown(), CheckpointLayout.scoreLevels())).allMatch(Trainable.VISION::includes);
        assertThat(List.of(CheckpointLayout.tokenEmbedding(), TEXT_ATTENTION, TEXT_EXPERT, CheckpointLayout.textProjection(),
                CheckpointLayout.logitScale())).noneMatch(Trainable.VISION::includes);
    }

    @Test
    void expertsIsTheReleasedSetAndAllSparesOnlyTheTemperature() {
        assertThat(List.of(VISION_EXPERT, TEXT_EXPERT, CheckpointLayout.adapterUp(), CheckpointLayout.scoreLevels()))
                .allMatch(Trainable.EXPERTS::includes);
        assertThat(List.of(CheckpointLayout.visualConv(), VISION_SHARED, TEXT_ATTENTION)).noneMatch(Trainable.EXPERTS::includes);
        assertThat(List.of(CheckpointLayout.visualConv(), TEXT_ATTENTION, TEXT_EXPERT)).allMatch(Trainable.ALL::includes);
        assertThat(Trainable.ALL.includes(CheckpointLayout.logitScale())).isFalse();
        assertThat(Trainable.parse("vision")).isEqualTo(Trainable.VISION);
        assertThat(Trainable.parse("everything")).isNull();
    }
}
