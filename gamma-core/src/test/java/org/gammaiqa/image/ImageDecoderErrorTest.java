package org.gammaiqa.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs fail with an {@link ImageDecodeException} whose message says what was found and what went wrong. */
class ImageDecoderErrorTest {
    private final ImageDecoder decoder = new ImageDecoder();

    private String failure(byte[] bytes) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> decoder.decode(bytes));
        assertThat(t).isInstanceOf(ImageDecodeException.class);
        System.out.println("error message: " + t.getMessage());
        return t.getMessage();
    }

    @Test
    void zeroBytes(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        assertThatThrownBy(() -> decoder.decode(empty)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("empty.jpg").hasMessageContaining("empty (0 bytes)");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> decoder.decode(dir.resolve("nope.png"))).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("nope.png");
    }

    @Test
    void truncatedJpegFailsLikePil() {
        byte[] jpeg = Fixtures.read("jpeg_420.jpg");
        for (int cut : new int[] {jpeg.length / 2, jpeg.length - 2}) {
            assertThat(failure(Arrays.copyOf(jpeg, cut))).contains("detected JPEG").contains("truncated");
        }
        byte[] progressive = Fixtures.read("jpeg_progressive_420.jpg");
        assertThat(failure(Arrays.copyOf(progressive, progressive.length * 3 / 4))).contains("truncated");
    }

    @Test
    void truncatedPng() {
        byte[] png = Fixtures.read("png_rgb.png");
        assertThat(failure(Arrays.copyOf(png, png.length / 2))).contains("detected PNG").contains("corrupt or truncated");
    }

    @Test
    void jpegSignatureThenGarbage() {
        byte[] bytes = new byte[500];
        new Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        assertThat(failure(bytes)).contains("detected JPEG");
    }

    @Test
    void randomBytes() {
        byte[] bytes = new byte[1000];
        new Random(42).nextBytes(bytes);
        bytes[0] = 0x13;
        assertThat(failure(bytes)).contains("not a supported image format").contains("unknown data (first bytes 13");
    }

    @Test
    void textFile() {
        assertThat(failure("name,score\nimg1.jpg,0.5\n".getBytes(StandardCharsets.UTF_8)))
                .contains("found text").contains("name,score");
    }

    @Test
    void unsupportedHeif() {
        byte[] heic = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(failure(heic)).contains("HEIC/AVIF").contains("supported: JPEG, PNG");
    }

    @Test
    void decompressionBombRefusedFromHeader() {
        byte[] bomb = pngHeaderOnly(100_000, 100_000);
        String message = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> failure(bomb));
        assertThat(message).contains("100000x100000 = 10000000000 pixels")
                .contains("limit of " + ImageDecoder.DecodeOptions.PIL_MAX_PIXELS);
    }

    @Test
    void pixelLimitIsConfigurable() throws Exception {
        ImageDecoder strict = new ImageDecoder(new ImageDecoder.DecodeOptions(37 * 29 - 1, false));
        assertThatThrownBy(() -> strict.decode(Fixtures.read("png_rgb.png")))
                .isInstanceOf(ImageTooLargeException.class).hasMessageContaining("37x29 = 1073 pixels");
        assertThat(new ImageDecoder(new ImageDecoder.DecodeOptions(37 * 29, false))
                .decode(Fixtures.read("png_rgb.png")).width()).isEqualTo(37);
        assertThatThrownBy(() -> new ImageDecoder.DecodeOptions(0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPixels");
    }

    /** PNG signature and a valid IHDR chunk (8-bit RGB) and nothing else. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
