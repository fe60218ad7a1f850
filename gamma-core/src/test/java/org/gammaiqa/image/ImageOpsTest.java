package org.gammaiqa.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bicubic resize equals Pillow 9.4 {@code resize(.., BICUBIC)}; crop/flip/upscale behave and validate. */
class ImageOpsTest {
    private static final RgbImage SOURCE = new RgbImage(37, 29, Fixtures.read("png_rgb.png.rgb"));

    @ParameterizedTest(name = "37x29 -> {0}x{1}")
    @CsvSource({"61,47", "19,13", "51,40", "80,20", "5,3"})
    void resizeMatchesPil(int width, int height) {
        RgbImage out = ImageOps.resizeBicubic(SOURCE, width, height);
        int diff = Fixtures.maxDiff(out.rgb(), Fixtures.read("resize/png_rgb_" + width + "x" + height + ".rgb"));
        System.out.printf("resize 37x29 -> %dx%d: max |diff| from PIL = %d%n", width, height, diff);
        assertThat(diff).isZero();
    }

    @Test
    void upscaleToMinSide() {
        RgbImage up = ImageOps.upscaleToMinSide(SOURCE, 40);
        assertThat(up.width()).isEqualTo(51); // floor(37 * 40 / 29) = 51
        assertThat(up.height()).isEqualTo(40);
        assertThat(up.rgb()).isEqualTo(Fixtures.read("resize/png_rgb_51x40.rgb"));
        assertThat(ImageOps.upscaleToMinSide(SOURCE, 29)).isSameAs(SOURCE);
        RgbImage tall = ImageOps.upscaleToMinSide(new RgbImage(10, 30, new byte[900]), 224);
        assertThat(tall.width()).isEqualTo(224);
        assertThat(tall.height()).isEqualTo(672);
        assertThatThrownBy(() -> ImageOps.upscaleToMinSide(new RgbImage(1, 100_000, new byte[300_000]), 224))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aspect ratio");
    }

    @Test
    void cropCopiesTheRegion() {
        RgbImage crop = ImageOps.crop(SOURCE, 3, 5, 10, 7);
        assertThat(crop.width()).isEqualTo(10);
        assertThat(crop.height()).isEqualTo(7);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 10; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(crop.sample(x, y, c)).isEqualTo(SOURCE.sample(x + 3, y + 5, c));
                }
            }
        }
        assertThat(ImageOps.crop(SOURCE, 0, 0, 37, 29).rgb()).isEqualTo(SOURCE.rgb());
    }

    @Test
    void cropOutsideIsRejected() {
        assertThatThrownBy(() -> ImageOps.crop(SOURCE, 30, 0, 8, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crop 8x5 at (30, 0)")
                .hasMessageContaining("37x29");
        assertThatThrownBy(() -> ImageOps.crop(SOURCE, -1, 0, 5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageOps.crop(SOURCE, 0, 0, 0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hflipMirrorsRows() {
        RgbImage flipped = ImageOps.hflip(SOURCE);
        assertThat(flipped.sample(0, 4, 1)).isEqualTo(SOURCE.sample(36, 4, 1));
        assertThat(ImageOps.hflip(flipped).rgb()).isEqualTo(SOURCE.rgb());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> ImageOps.resizeBicubic(SOURCE, 0, 5)).hasMessageContaining("0x5");
        assertThatThrownBy(() -> ImageOps.upscaleToMinSide(SOURCE, 0)).hasMessageContaining("minSide");
        assertThatThrownBy(() -> ImageOps.exifTranspose(SOURCE, 9)).hasMessageContaining("1..8");
    }
}
