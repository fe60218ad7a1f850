package org.gammaiqa.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A decoded 8-bit RGB image, pixels interleaved row by row ({@code rgb[(y*width + x)*3 + c]}),
 * as PIL's {@code convert("RGB")} gives them. Immutable by convention: nothing writes to
 * {@link #rgb()} after construction.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    /** Checks that the size is positive and that {@code rgb} holds exactly three bytes per pixel. */
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " bytes for "
                    + width + "x" + height + " RGB, got " + rgb.length);
        }
    }

    /**
     * The colours of an AWT image in sRGB, as {@link BufferedImage#getRGB(int, int)} gives them; alpha is dropped,
     * not composited, as in PIL's {@code convert("RGB")}. To score a file exactly as the reference does, decode its
     * bytes with {@link ImageDecoder} instead: an image the JDK decoded may differ (colour profiles, CMYK, 16 bits).
     */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0, i = y * w * 3; x < w; x++, i += 3) {
                rgb[i] = (byte) (row[x] >> 16);
                rgb[i + 1] = (byte) (row[x] >> 8);
                rgb[i + 2] = (byte) row[x];
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Channel {@code c} of pixel (x, y), 0..255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    /** This image as an AWT image (3-byte BGR), for the JDK's encoders and Java2D. */
    public BufferedImage toBufferedImage() {
        BufferedImage b = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < bgr.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return b;
    }
}
