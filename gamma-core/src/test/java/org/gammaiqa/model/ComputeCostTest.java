package org.gammaiqa.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComputeCostTest {
    @Test
    void vitB16WithSixExpertBlocksCostsAbout34GigaMultiplyAddsPerCrop() {
        GammaConfig base = CheckpointLayoutTest.config(768, 512, 12, 6, 3, 512);
        // docs/MODEL.md, "Size and cost": ≈ 34 G multiply-adds per 224 crop; the text tower costs about as much per prompt set
        assertThat(ComputeCost.visionPerCropAsOriginal(base, 224) / 1e9).isBetween(34.0, 34.5);
        // the last block computes the class token alone: an expert block's worth less
        assertThat(ComputeCost.visionPerCrop(base, 224) / 1e9).isBetween(30.0, 30.5);
        assertThat(ComputeCost.textPerPromptSet(base, 5) / 1e9).isBetween(25.0, 35.0);
    }
}
