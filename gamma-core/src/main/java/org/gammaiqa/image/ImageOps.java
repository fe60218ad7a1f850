package org.gammaiqa.image;

import java.util.Arrays;

/**
 * Geometry on {@link RgbImage}: PIL-exact bicubic resize, the short-side upscale of the test protocol,
 * crop, horizontal flip and EXIF orientation. All return new images; inputs are never modified.
 */
public final class ImageOps {
    /** PIL's fixed-point precision for 8-bit resampling ({@code PRECISION_BITS} in Resample.c). */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    /** Support radius of the bicubic kernel. */
    private static final double BICUBIC_SUPPORT = 2.0;

    private ImageOps() {
    }

    /**
     * Resizes like Pillow 9.4 {@code img.resize((w, h), Image.BICUBIC)}: separable cubic convolution with
     * a = -0.5, support widened by the scale factor when shrinking, horizontal pass first, 8-bit fixed point
     * with rounding and clipping between passes. Returns {@code image} itself when the size is unchanged.
     */
    public static RgbImage resizeBicubic(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > ImageDecoder.DecodeOptions.ARRAY_MAX_PIXELS) {
            throw new IllegalArgumentException("resize target must be positive and at most " + ImageDecoder.DecodeOptions.ARRAY_MAX_PIXELS
                    + " pixels, got " + width + "x" + height);
        }
        RgbImage out = image;
        if (width != image.width()) {
            out = horizontal(out, width, coefficients(image.width(), width));
        }
        if (height != image.height()) {
            out = vertical(out, height, coefficients(image.height(), height));
        }
        return out;
    }

    /**
     * Upscales so that the short side is {@code minSide}, the long side {@code floor(long * minSide / short)}
     * (torchvision {@code Resize(minSide)} rounding), bicubic. Returns {@code image} itself when both sides are
     * already at least {@code minSide}; never downscales.
     */
    public static RgbImage upscaleToMinSide(RgbImage image, int minSide) {
        if (minSide <= 0) {
            throw new IllegalArgumentException("minSide must be positive, got " + minSide);
        }
        int w = image.width(), h = image.height();
        if (w >= minSide && h >= minSide) {
            return image;
        }
        int shortSide = Math.min(w, h);
        long longSide = (long) Math.max(w, h) * minSide / shortSide;
        if (longSide * minSide > ImageDecoder.DecodeOptions.ARRAY_MAX_PIXELS) {
            throw new IllegalArgumentException("upscaling " + w + "x" + h + " to a short side of " + minSide + " gives "
                    + longSide + "x" + minSide + ", too many pixels; the aspect ratio is extreme, crop the image first");
        }
        return w <= h ? resizeBicubic(image, minSide, (int) longSide) : resizeBicubic(image, (int) longSide, minSide);
    }

    /** The {@code width x height} region whose top-left pixel is ({@code left}, {@code top}); it must lie inside. */
    public static RgbImage crop(RgbImage image, int left, int top, int width, int height) {
        if (width <= 0 || height <= 0 || left < 0 || top < 0
                || (long) left + width > image.width() || (long) top + height > image.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " at (" + left + ", " + top
                    + ") does not fit in a " + image.width() + "x" + image.height() + " image; expected a positive size with"
                    + " 0 <= left <= " + image.width() + " - width and 0 <= top <= " + image.height() + " - height");
        }
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(image.rgb(), ((top + y) * image.width() + left) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }

    /** Mirror image left to right (PIL's {@code Image.FLIP_LEFT_RIGHT}). */
    public static RgbImage hflip(RgbImage image) {
        return exifTranspose(image, 2);
    }

    /**
     * Applies an EXIF Orientation value (1..8) the way PIL's {@code ImageOps.exif_transpose} does, so that the
     * result is upright; 1 returns {@code image} itself.
     */
    public static RgbImage exifTranspose(RgbImage image, int orientation) {
        int w = image.width(), h = image.height();
        // Source pixel of output (x, y): sx = x0 + sxx*x + sxy*y, sy = y0 + syx*x + syy*y.
        int x0, sxx, sxy, y0, syx, syy;
        switch (orientation) {
            case 1 -> { return image; }
            case 2 -> { x0 = w - 1; sxx = -1; sxy = 0; y0 = 0; syx = 0; syy = 1; }         // FLIP_LEFT_RIGHT
            case 3 -> { x0 = w - 1; sxx = -1; sxy = 0; y0 = h - 1; syx = 0; syy = -1; }    // ROTATE_180
            case 4 -> { x0 = 0; sxx = 1; sxy = 0; y0 = h - 1; syx = 0; syy = -1; }         // FLIP_TOP_BOTTOM
            case 5 -> { x0 = 0; sxx = 0; sxy = 1; y0 = 0; syx = 1; syy = 0; }              // TRANSPOSE
            case 6 -> { x0 = 0; sxx = 0; sxy = 1; y0 = h - 1; syx = -1; syy = 0; }         // ROTATE_270
            case 7 -> { x0 = w - 1; sxx = 0; sxy = -1; y0 = h - 1; syx = -1; syy = 0; }    // TRANSVERSE
            case 8 -> { x0 = w - 1; sxx = 0; sxy = -1; y0 = 0; syx = 1; syy = 0; }         // ROTATE_90
            default -> throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
        }
        boolean swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        byte[] src = image.rgb(), out = new byte[src.length];
        for (int y = 0, o = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++, o += 3) {
                int s = ((y0 + syx * x + syy * y) * w + x0 + sxx * x + sxy * y) * 3;
                out[o] = src[s];
                out[o + 1] = src[s + 1];
                out[o + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }

    /**
     * One output position's taps: input {@code start[i]} onwards, {@code count[i]} weights at
     * {@code weights[i * stride ...]} in PIL fixed point.
     */
    private record Coefficients(int stride, int[] start, int[] count, int[] weights) {
    }

    /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for the whole input range. */
    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = BICUBIC_SUPPORT * filterScale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize], count = new int[outSize], weights = new int[outSize * stride];
        double[] k = new double[stride];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = bicubic((x + xmin - center + 0.5) * ss);
                sum += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = sum != 0.0 ? k[x] / sum : k[x];
                weights[xx * stride + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(stride, start, count, weights);
    }

    /** Cubic convolution kernel, a = -0.5 (Pillow's {@code bicubic_filter}). */
    private static double bicubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static RgbImage horizontal(RgbImage in, int outWidth, Coefficients c) {
        int h = in.height(), inRow = in.width() * 3;
        byte[] src = in.rgb(), out = new byte[outWidth * h * 3];
        for (int y = 0, o = 0; y < h; y++) {
            for (int xx = 0; xx < outWidth; xx++, o += 3) {
                int s = y * inRow + c.start[xx] * 3, k = xx * c.stride;
                int r = 1 << (PRECISION_BITS - 1), g = r, b = r;
                for (int x = 0; x < c.count[xx]; x++, s += 3) {
                    int wgt = c.weights[k + x];
                    r += (src[s] & 0xff) * wgt;
                    g += (src[s + 1] & 0xff) * wgt;
                    b += (src[s + 2] & 0xff) * wgt;
                }
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(outWidth, h, out);
    }

    private static RgbImage vertical(RgbImage in, int outHeight, Coefficients c) {
        int row = in.width() * 3;
        byte[] src = in.rgb(), out = new byte[row * outHeight];
        int[] acc = new int[row];
        for (int yy = 0; yy < outHeight; yy++) {
            Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            int k = yy * c.stride;
            for (int y = 0; y < c.count[yy]; y++) {
                int wgt = c.weights[k + y], s = (c.start[yy] + y) * row;
                for (int i = 0; i < row; i++) {
                    acc[i] += (src[s + i] & 0xff) * wgt;
                }
            }
            for (int i = 0; i < row; i++) {
                out[yy * row + i] = clip8(acc[i]);
            }
        }
        return new RgbImage(in.width(), outHeight, out);
    }

    /** Pillow's {@code clip8}: drop the fraction (arithmetic shift), clamp to 0..255. */
    private static byte clip8(int v) {
        int x = v >> PRECISION_BITS;
        return (byte) (x < 0 ? 0 : Math.min(x, 255));
    }
}
