package org.gammaiqa.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gammaiqa.data.Phase;
import org.gammaiqa.data.Sample;
import org.gammaiqa.data.TrainConfig;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamma synth}: deterministic KADID-style output that {@code gamma train} reads as it is. */
class SynthDatasetTest {
    @TempDir
    Path dir;

    @Test
    void everyDistortionGrowsWithItsLevel() {
        RgbImage clean = DeadLeaves.draw(96, 96, new SplittableRandom(5));
        for (Distortion d : Distortion.values()) {
            double previous = 0;
            for (int level = 1; level <= 5; level++) {
                double mse = mse(clean, d.apply(clean, level, 5, new SplittableRandom(level)));
                assertThat(mse).as("%s level %d", d.id(), level).isGreaterThan(previous);
                previous = mse;
            }
        }
    }

    @Test
    void writesADeterministicDatasetThatTrainingReads() throws Exception {
        SynthDataset.Options options = new SynthDataset.Options(null, dir.resolve("a"),
                List.of(Distortion.GAUSSIAN_BLUR, Distortion.JPEG), 3, 4, 64, 3);
        assertThat(SynthDataset.write(options, 1, (done, total) -> { })).isEqualTo(4 * (1 + 2 * 3));
        SynthDataset.write(new SynthDataset.Options(null, dir.resolve("b"), options.types(), 3, 4, 64, 3), 3, (done, total) -> { });
        Path csv = dir.resolve("a").resolve(SynthDataset.META_INFO);
        assertThat(Files.readAllLines(csv)).first().isEqualTo("ref,dist,mos,type,level,split");
        assertThat(Files.readString(csv)).isEqualTo(Files.readString(dir.resolve("b").resolve(SynthDataset.META_INFO)));
        assertThat(Files.readAllBytes(dir.resolve("a/dist/leaves0002_jpeg_3.png")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/dist/leaves0002_jpeg_3.png")));
        assertThat(new ImageDecoder().decode(dir.resolve("a/ref/leaves0000.png")).width()).isEqualTo(64);

        Path yaml = dir.resolve("train.yml");
        Files.writeString(yaml, """
                datasets:
                  train_1: {name: synth, type: GeneralFRDataset, dataroot_target: a, meta_info_file: a/meta_info.csv,
                            mos_range: [1, 5], mos_normalize: true, nr_model: true}
                network:
                  num_ft_layer: 1
                  scratch: {vision_width: 64, vision_layers: 1, patch_size: 32, text_width: 64, text_layers: 1,
                            context_length: 16, embed_dim: 16}
                train:
                  trainable: all
                """);
        TrainConfig config = TrainConfig.load(yaml, dir);
        config.checkFiles();
        assertThat(config.trainAll()).isTrue();
        List<Sample> all = config.train().get(0).load(Phase.TRAIN);
        assertThat(all).isNotEmpty().allSatisfy(s -> assertThat(s.mos()).isBetween(0.0, 1.0));
    }

    private static double mse(RgbImage a, RgbImage b) {
        double sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            double d = (a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff);
            sum += d * d;
        }
        return sum / a.rgb().length;
    }
}
