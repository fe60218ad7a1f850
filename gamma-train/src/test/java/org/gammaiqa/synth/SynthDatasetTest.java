package org.gammaiqa.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gammaiqa.data.Phase;
import org.gammaiqa.data.Sample;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.train.Trainable;
import org.gammaiqa.train.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamma synth}: deterministic KADID-style output that {@code gamma train} reads as it is. */
class SynthDatasetTest {
    @TempDir
    Path dir;

    @Test
    void everyDistortionGrowsWithItsLevel() {
        for (Procedural style : Procedural.values()) {
            RgbImage clean = style.draw(128, 128, new SplittableRandom(5));
            for (Distortion d : Distortion.values()) {
                double previous = 0;
                for (int level = 1; level <= 5; level++) {
                    double mse = mse(clean, d.apply(clean, level, 5, new SplittableRandom(level)));
                    assertThat(mse).as("%s on %s, level %d", d.id(), style.id(), level).isGreaterThan(previous);
                    previous = mse;
                }
            }
        }
    }

    @Test
    void stylesAreDeterministicAndScenesAreCalmerThanLeaves() {
        double leaves = 0;
        double scenes = 0;
        for (int seed = 0; seed < 8; seed++) {
            RgbImage l = Procedural.LEAVES.draw(128, 128, new SplittableRandom(seed));
            RgbImage s = Procedural.SCENES.draw(128, 128, new SplittableRandom(seed));
            assertThat(s.rgb()).isEqualTo(Procedural.SCENES.draw(128, 128, new SplittableRandom(seed)).rgb());
            assertThat(l.rgb()).isEqualTo(DeadLeaves.draw(128, 128, new SplittableRandom(seed)).rgb());
            leaves += gradient(l);
            scenes += gradient(s);
        }
        assertThat(scenes).as("photo-like scenes have smooth areas; classic dead leaves are edges everywhere")
                .isLessThan(0.8 * leaves);
        assertThat(Procedural.parse("Scenes")).isEqualTo(Procedural.SCENES);
    }

    @Test
    void scenesVaryInExposureAndColourfulness() {
        double darkest = 255;
        double brightest = 0;
        double mostColourful = 0;
        for (int seed = 0; seed < 16; seed++) {
            byte[] v = Procedural.SCENES.draw(96, 96, new SplittableRandom(seed)).rgb();
            double luminance = 0;
            double chroma = 0;
            for (int p = 0; p < v.length; p += 3) {
                int r = v[p] & 0xff;
                int g = v[p + 1] & 0xff;
                int b = v[p + 2] & 0xff;
                luminance += (r + g + b) / 3.0;
                chroma += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            }
            luminance /= v.length / 3.0;
            chroma /= v.length / 3.0;
            darkest = Math.min(darkest, luminance);
            brightest = Math.max(brightest, luminance);
            mostColourful = Math.max(mostColourful, chroma);
        }
        System.out.printf("scenes: mean luminance %.0f … %.0f, mean chroma up to %.0f%n", darkest, brightest, mostColourful);
        // without SceneLeaves' tone step these 16 scenes measured luminance 96 … 182 and chroma up to 47
        assertThat(darkest).as("a dark scene").isLessThan(80);
        assertThat(brightest).as("a bright scene").isGreaterThan(150);
        assertThat(mostColourful).as("a scene more colourful than its palette alone makes it").isGreaterThan(55);
    }

    @Test
    void writesADeterministicDatasetThatTrainingReads() throws Exception {
        SynthDataset.Options options = new SynthDataset.Options(null, Procedural.SCENES, dir.resolve("a"),
                List.of(Distortion.GAUSSIAN_BLUR, Distortion.JPEG), 3, 4, 64, 3);
        assertThat(SynthDataset.write(options, 1, (done, total) -> { })).isEqualTo(4 * (1 + 2 * 3));
        SynthDataset.write(new SynthDataset.Options(null, Procedural.SCENES, dir.resolve("b"), options.types(), 3, 4, 64, 3), 3, (done, total) -> { });
        Path csv = dir.resolve("a").resolve(SynthDataset.META_INFO);
        assertThat(Files.readAllLines(csv)).first().isEqualTo("ref,dist,mos,type,level,split");
        assertThat(Files.readString(csv)).isEqualTo(Files.readString(dir.resolve("b").resolve(SynthDataset.META_INFO)));
        assertThat(Files.readAllBytes(dir.resolve("a/dist/scenes0002_jpeg_3.png")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/dist/scenes0002_jpeg_3.png")));
        assertThat(new ImageDecoder().decode(dir.resolve("a/ref/scenes0000.png")).width()).isEqualTo(64);

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
                  trainable: vision
                """);
        TrainConfig config = TrainConfig.load(yaml, dir);
        config.checkFiles();
        assertThat(config.optimiser().trainable()).isEqualTo(Trainable.VISION);
        List<Sample> all = config.data().train().get(0).load(Phase.TRAIN);
        assertThat(all).isNotEmpty().allSatisfy(s -> assertThat(s.mos()).isBetween(0.0, 1.0));
    }

    /** Mean absolute difference between horizontal neighbours. */
    private static double gradient(RgbImage im) {
        double sum = 0;
        byte[] v = im.rgb();
        for (int i = 3; i < v.length; i++) {
            sum += Math.abs((v[i] & 0xff) - (v[i - 3] & 0xff));
        }
        return sum / v.length;
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
