package org.gammaiqa.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;

class ScoringProtocolTest {
    @Test
    void theDefaultsAreThePapersProtocol() {
        ScoringOptions d = ScoringProtocol.defaults();
        assertThat(d.prompts()).isEqualTo(Scene.GENERIC.prompts());
        assertThat(d.crops()).isEqualTo(new CropPolicy.Random(10));
        assertThat(d.seed()).isZero();
        assertThat(ScoringOptions.defaults()).isEqualTo(d);
        assertThat(ScoringProtocol.CROP_SIZE).isEqualTo(224);
        assertThat(RuntimeOptions.defaults().maxCropsPerPass()).isEqualTo(ScoringProtocol.CROPS_PER_PASS);
    }

    @Test
    void normalisationIsClipsMeanAndStdChannelFirst() {
        byte[] rgb = new byte[2 * 2 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 23);
        }
        RgbImage image = new RgbImage(2, 2, rgb);
        float[] whole = new float[12];
        ScoringProtocol.normalise(image, whole, 0);
        float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
        float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
        for (int p = 0; p < 4; p++) {
            for (int c = 0; c < 3; c++) {
                assertThat(whole[c * 4 + p]).isEqualTo(((rgb[p * 3 + c] & 0xff) / 255f - mean[c]) / std[c]);
            }
        }
        FloatBuffer crop = FloatBuffer.allocate(3);
        ScoringProtocol.normalise(image, new CropBox(1, 1, 1), crop, 0);
        assertThat(crop.array()).containsExactly(whole[3], whole[7], whole[11]);
    }

    @Test
    void onlyAnImageSmallerThanACropIsUpscaled() {
        RgbImage big = new RgbImage(300, 224, new byte[300 * 224 * 3]);
        assertThat(ScoringProtocol.upscale(big)).isSameAs(big);
        RgbImage small = ScoringProtocol.upscale(new RgbImage(100, 50, new byte[100 * 50 * 3]));
        assertThat(small.width()).isEqualTo(448);
        assertThat(small.height()).isEqualTo(224);
    }
}
