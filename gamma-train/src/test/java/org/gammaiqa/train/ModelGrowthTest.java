package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.testing.StandIns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MoAE grown from a plain CLIP state dict as the original: experts copied, router U(±1/√W), scale 0, levels 0.2…1. */
class ModelGrowthTest {
    @TempDir
    Path dir;

    @Test
    void growsTheLastBlocksOfBothTowers() throws Exception {
        StandIns.writeBackbone(dir.resolve("clip.pth"), 3, 2);
        StateDict clip = CheckpointReader.read(dir.resolve("clip.pth"));
        StateDict gamma = ModelGrowth.grow(clip, 3, 2, 7);
        GammaConfig c = CheckpointLayout.derive(gamma);
        assertThat(c.vision().transformer().expertsPerLayer()).containsExactly(0, 3, 3);
        assertThat(c.text().transformer().expertsPerLayer()).containsExactly(0, 3, 3);
        var plain = CheckpointLayout.visualBlock(2, 0).mlp();
        var moe = CheckpointLayout.visualBlock(2, 3).experts();
        String mlpWeight = CheckpointLayout.backboneKey(plain.fc().weight());
        assertThat(gamma.get(moe.shared().fc().weight()).data()).isEqualTo(clip.get(mlpWeight).data());
        for (var expert : moe.adaptive()) {
            assertThat(gamma.get(expert.proj().bias()).data())
                    .isEqualTo(clip.get(CheckpointLayout.backboneKey(plain.proj().bias())).data());
        }
        assertThat(gamma.get(moe.scale()).toFloats()).containsExactly(0f);
        float bound = (float) (1 / Math.sqrt(64));
        float[] router = gamma.get(moe.router().weight()).toFloats();
        assertThat(router).hasSize(3 * 64).doesNotContain(0f);
        for (float v : router) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
        }
        assertThat(gamma.get(CheckpointLayout.scoreLevels()).toFloats()).containsExactly(0.2f, 0.4f, 0.6f, 0.8f, 1.0f);
        assertThat(gamma.get(CheckpointLayout.adapterDown()).shape()).containsExactly(16, 32);
        for (String key : clip.keys()) {
            if (!key.contains(".mlp.")) {
                assertThat(gamma.get("clip_model." + key).data()).as(key).isEqualTo(clip.get(key).data());
            }
        }
        CheckpointLayout.verify(gamma, c);
    }

    @Test
    void refusesMoreExpertLayersThanBlocks() throws Exception {
        StandIns.writeBackbone(dir.resolve("clip.pth"), 2, 2);
        StateDict clip = CheckpointReader.read(dir.resolve("clip.pth"));
        assertThatThrownBy(() -> ModelGrowth.grow(clip, 3, 6, 1))
                .hasMessageContaining("network.num_ft_layer is 6 but the backbone's vision tower has only 2 blocks");
    }
}
