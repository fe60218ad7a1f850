package org.gammaiqa.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EXIF orientation is ignored by default (parity) and applied like PIL's {@code exif_transpose} on request. */
class ImageDecoderExifTest {
    private final ImageDecoder upright = new ImageDecoder(
            new ImageDecoder.DecodeOptions(ImageDecoder.DecodeOptions.PIL_MAX_PIXELS, true));

    @Test
    void jpegOrientation6() throws Exception {
        byte[] jpeg = Fixtures.read("jpeg_exif6.jpg");
        RgbImage plain = new ImageDecoder().decode(jpeg);
        assertThat(plain.width()).isEqualTo(37);
        assertThat(Fixtures.maxDiff(plain.rgb(), Fixtures.read("jpeg_exif6.jpg.rgb"))).isZero();

        RgbImage rotated = upright.decode(jpeg);
        assertThat(rotated.width()).isEqualTo(29);
        assertThat(rotated.height()).isEqualTo(37);
        assertThat(Fixtures.maxDiff(rotated.rgb(), Fixtures.read("jpeg_exif6.jpg.transposed.rgb"))).isZero();
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngExifOrientations(int orientation) throws Exception {
        RgbImage image = upright.decode(Fixtures.read("exif/orientation" + orientation + ".png"));
        ByteBuffer expected = ByteBuffer.wrap(Fixtures.read("exif/orientation" + orientation + ".png.transposed.rgb"));
        int width = expected.getInt(), height = expected.getInt();
        byte[] pixels = Arrays.copyOfRange(expected.array(), 8, expected.capacity());
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
        assertThat(Fixtures.maxDiff(image.rgb(), pixels)).isZero();
    }

    @Test
    void hflipIsOrientation2() throws Exception {
        RgbImage image = new ImageDecoder().decode(Fixtures.read("exif/orientation2.png"));
        assertThat(ImageOps.hflip(image).rgb()).isEqualTo(upright.decode(Fixtures.read("exif/orientation2.png")).rgb());
    }
}
