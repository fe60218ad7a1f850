package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.text.ByteTokenizer;
import org.junit.jupiter.api.Test;

/** network.scratch: a random CLIP backbone of the configured shape that MoAE grows from like a real one. */
class RandomBackboneTest {
    @Test
    void growsIntoTheConfiguredArchitecture() throws Exception {
        ScratchArchitecture arch = new ScratchArchitecture(128, 3, 32, 64, 2, 16, 32);
        StateDict backbone = ModelGrowth.randomBackbone(arch.plainConfig(), 7);
        assertThat(backbone.get("visual.ln_pre.weight").toFloats()).containsOnly(1f);
        assertThat(backbone.get("visual.ln_pre.bias").toFloats()).containsOnly(0f);
        assertThat(backbone.get("logit_scale").toFloats()[0]).isEqualTo((float) Math.log(1 / 0.07));
        float[] conv = backbone.get("visual.conv1.weight").toFloats();
        double var = 0;
        for (float v : conv) {
            var += v * v;
        }
        assertThat(var / conv.length).isCloseTo(1.0 / (3 * 32 * 32), org.assertj.core.data.Percentage.withPercentage(5));

        GammaConfig grown = CheckpointLayout.derive(ModelGrowth.grow(backbone, 3, 2, 7));
        assertThat(grown.vision().transformer().width()).isEqualTo(128);
        assertThat(grown.vision().transformer().heads()).isEqualTo(2);
        assertThat(grown.vision().transformer().expertsPerLayer()).containsExactly(0, 3, 3);
        assertThat(grown.vision().patchSize()).isEqualTo(32);
        assertThat(grown.text().vocabularySize()).isEqualTo(ByteTokenizer.VOCABULARY_SIZE);
        assertThat(grown.text().contextLength()).isEqualTo(16);
        assertThat(grown.embedDim()).isEqualTo(32);
        assertThat(ModelGrowth.randomBackbone(arch.plainConfig(), 7).get("visual.proj").toFloats())
                .containsExactly(backbone.get("visual.proj").toFloats());
    }
}
