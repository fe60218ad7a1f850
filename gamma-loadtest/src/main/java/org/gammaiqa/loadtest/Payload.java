package org.gammaiqa.loadtest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * What a load-test request sends: a kind of input, its body and content type, and the statuses a
 * correct service may answer with (503 is always allowed for valid images: the queue may be full).
 */
public record Payload(Kind kind, String contentType, byte[] body, int imageIndex) {
    public enum Kind {
        VALID_IMAGE(200), VALID_MULTIPART(200), TRUNCATED_JPEG(400), EMPTY_BODY(400), MALFORMED_MULTIPART(400), PIXEL_BOMB(413),
        WRONG_CONTENT_TYPE(415);

        /** The status a correct service answers when it has room. */
        public final int expected;

        Kind(int expected) {
            this.expected = expected;
        }

        public Set<Integer> allowed() {
            return expected == 200 ? Set.of(200, 503) : Set.of(expected);
        }
    }

    /** The mix sent round-robin: valid images are half of it. */
    static List<Payload> mix(List<byte[]> images) throws IOException {
        byte[] jpeg = jpeg(images.get(0));
        String boundary = "gamma-loadtest-boundary";
        List<Payload> out = new java.util.ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(new Payload(Kind.VALID_IMAGE, "application/octet-stream", images.get(i), i));
        }
        out.add(new Payload(Kind.VALID_MULTIPART, "multipart/form-data; boundary=" + boundary,
                multipart(boundary, images.subList(0, Math.min(2, images.size()))), -1));
        out.add(new Payload(Kind.TRUNCATED_JPEG, "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2), -1));
        out.add(new Payload(Kind.EMPTY_BODY, "image/jpeg", new byte[0], -1));
        byte[] form = multipart(boundary, images.subList(0, 1));
        out.add(new Payload(Kind.MALFORMED_MULTIPART, "multipart/form-data; boundary=" + boundary,
                Arrays.copyOf(form, form.length - boundary.length() - 8), -1)); // the closing boundary cut off
        out.add(new Payload(Kind.PIXEL_BOMB, "image/png", pngHeader(100_000, 100_000), -1));
        out.add(new Payload(Kind.WRONG_CONTENT_TYPE, "text/plain", images.get(0), -1));
        return out;
    }

    /** The image re-encoded as a JPEG (the source of the truncated ones). */
    static byte[] jpeg(byte[] image) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(image));
        if (src == null) {
            throw new IOException("cannot read the load-test image to make a truncated JPEG of it; give PNG or JPEG images");
        }
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(src, 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpeg", out);
        return out.toByteArray();
    }

    /** A PNG signature and an IHDR chunk declaring {@code width}×{@code height} 8-bit RGB, and nothing else. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    /** A multipart form with one file part per image, named image0.png, image1.png, … */
    static byte[] multipart(String boundary, List<byte[]> images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < images.size(); i++) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image" + i
                    + ".png\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(images.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
