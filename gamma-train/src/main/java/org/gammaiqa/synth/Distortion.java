package org.gammaiqa.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.gammaiqa.image.ImageDecodeException;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;

/**
 * KADID-style distortions, each with a strength that grows geometrically from {@code mild} at level 1 to
 * {@code severe} at the last level (what the parameter means is in each constant's comment). Pure functions of
 * the image, the level and the generator.
 */
public enum Distortion {
    /** Gaussian blur, σ in pixels. */
    GAUSSIAN_BLUR(0.6, 5) {
        @Override RgbImage apply(RgbImage im, double sigma, SplittableRandom rng) {
            return Pixels.of(im).convolve(gaussian(sigma), true).convolve(gaussian(sigma), false).image();
        }
    },
    /** Motion blur along a random direction, streak length in pixels. */
    MOTION_BLUR(3, 25) {
        @Override RgbImage apply(RgbImage im, double length, SplittableRandom rng) {
            double angle = rng.nextDouble(Math.PI);
            int taps = (int) Math.ceil(length);
            int[][] offsets = new int[taps][];
            for (int i = 0; i < taps; i++) {
                double t = (i - (taps - 1) / 2.0) * length / taps;
                offsets[i] = new int[] {(int) Math.round(t * Math.cos(angle)), (int) Math.round(t * Math.sin(angle))};
            }
            return Pixels.of(im).average(offsets).image();
        }
    },
    /** Lens defocus: a uniform disc, radius in pixels. */
    LENS_BLUR(1, 7) {
        @Override RgbImage apply(RgbImage im, double radius, SplittableRandom rng) {
            int r = (int) Math.ceil(radius);
            List<int[]> disc = new ArrayList<>();
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    if (dx * dx + dy * dy <= radius * radius) {
                        disc.add(new int[] {dx, dy});
                    }
                }
            }
            return Pixels.of(im).average(disc.toArray(new int[0][])).image();
        }
    },
    /** Additive white Gaussian noise, σ on the 0–255 scale, independent per channel. */
    GAUSSIAN_NOISE(5, 45) {
        @Override RgbImage apply(RgbImage im, double sigma, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            for (int i = 0; i < p.v.length; i++) {
                p.v[i] += (float) (rng.nextGaussian() * sigma);
            }
            return p.image();
        }
    },
    /** Salt-and-pepper noise, fraction of pixels replaced by black or white. */
    IMPULSE_NOISE(0.01, 0.2) {
        @Override RgbImage apply(RgbImage im, double fraction, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            for (int i = 0; i < p.v.length; i += 3) {
                if (rng.nextDouble() < fraction) {
                    float v = rng.nextBoolean() ? 255 : 0;
                    p.v[i] = p.v[i + 1] = p.v[i + 2] = v;
                }
            }
            return p.image();
        }
    },
    /** JPEG compression (baseline, 4:2:0), 100 − quality. */
    JPEG(40, 97) {
        @Override RgbImage apply(RgbImage im, double loss, SplittableRandom rng) {
            return jpeg(im, (float) ((100 - loss) / 100));
        }
    },
    /** Contrast loss: blend with the mean grey, fraction of contrast removed. */
    CONTRAST(0.25, 0.85) {
        @Override RgbImage apply(RgbImage im, double amount, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            double mean = 0;
            for (float v : p.v) {
                mean += v;
            }
            mean /= p.v.length;
            for (int i = 0; i < p.v.length; i++) {
                p.v[i] = (float) (p.v[i] * (1 - amount) + mean * amount);
            }
            return p.image();
        }
    },
    /** Over-exposure: gain, with clipped highlights. */
    BRIGHTEN(1.3, 3.5) {
        @Override RgbImage apply(RgbImage im, double gain, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            for (int i = 0; i < p.v.length; i++) {
                p.v[i] = (float) (p.v[i] * gain + 20 * (gain - 1));
            }
            return p.image();
        }
    },
    /** Under-exposure: gamma applied to [0, 1] intensities. */
    DARKEN(1.4, 4.5) {
        @Override RgbImage apply(RgbImage im, double gamma, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            for (int i = 0; i < p.v.length; i++) {
                p.v[i] = (float) (255 * Math.pow(Math.max(0, p.v[i]) / 255, gamma));
            }
            return p.image();
        }
    },
    /** Desaturation: blend with the luma, fraction of chroma removed. */
    DESATURATION(0.35, 1) {
        @Override RgbImage apply(RgbImage im, double amount, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            for (int i = 0; i < p.v.length; i += 3) {
                float y = 0.299f * p.v[i] + 0.587f * p.v[i + 1] + 0.114f * p.v[i + 2];
                for (int c = 0; c < 3; c++) {
                    p.v[i + c] = (float) (p.v[i + c] * (1 - amount) + y * amount);
                }
            }
            return p.image();
        }
    },
    /** Pixelation: block size in pixels (nearest-neighbour down and up). */
    PIXELATE(2, 14) {
        @Override RgbImage apply(RgbImage im, double block, SplittableRandom rng) {
            int b = (int) Math.round(block);
            byte[] out = new byte[im.rgb().length];
            for (int y = 0; y < im.height(); y++) {
                for (int x = 0; x < im.width(); x++) {
                    int sx = Math.min(im.width() - 1, x / b * b + b / 2);
                    int sy = Math.min(im.height() - 1, y / b * b + b / 2);
                    System.arraycopy(im.rgb(), (sy * im.width() + sx) * 3, out, (y * im.width() + x) * 3, 3);
                }
            }
            return new RgbImage(im.width(), im.height(), out);
        }
    },
    /** Colour quantisation: 256 / levels per channel, uniform, no dithering. */
    QUANTIZATION(8, 85) {
        @Override RgbImage apply(RgbImage im, double step, SplittableRandom rng) {
            Pixels p = Pixels.of(im);
            for (int i = 0; i < p.v.length; i++) {
                p.v[i] = (float) (Math.floor(p.v[i] / step) * step + step / 2);
            }
            return p.image();
        }
    },
    /** Lateral chromatic aberration: red and blue shifted apart along a random direction, in pixels. */
    CHROMATIC_ABERRATION(1, 9) {
        @Override RgbImage apply(RgbImage im, double shift, SplittableRandom rng) {
            double angle = rng.nextDouble(2 * Math.PI);
            int dx = (int) Math.round(shift * Math.cos(angle));
            int dy = (int) Math.round(shift * Math.sin(angle));
            byte[] out = im.rgb().clone();
            for (int y = 0; y < im.height(); y++) {
                for (int x = 0; x < im.width(); x++) {
                    int p = (y * im.width() + x) * 3;
                    out[p] = (byte) im.sample(clamp(x + dx, im.width()), clamp(y + dy, im.height()), 0);
                    out[p + 2] = (byte) im.sample(clamp(x - dx, im.width()), clamp(y - dy, im.height()), 2);
                }
            }
            return new RgbImage(im.width(), im.height(), out);
        }
    };

    private final double mild;
    private final double severe;

    Distortion(double mild, double severe) {
        this.mild = mild;
        this.severe = severe;
    }

    /** The distortion's strength parameter at {@code level} of {@code levels} (1-based), geometric from mild to severe. */
    public double strength(int level, int levels) {
        if (level < 1 || level > levels) {
            throw new IllegalArgumentException("level " + level + " is outside 1.." + levels);
        }
        return levels == 1 ? severe : mild * Math.pow(severe / mild, (level - 1) / (double) (levels - 1));
    }

    /** {@code image} distorted at {@code level} of {@code levels}. */
    public RgbImage apply(RgbImage image, int level, int levels, SplittableRandom rng) {
        return apply(image, strength(level, levels), rng);
    }

    abstract RgbImage apply(RgbImage image, double strength, SplittableRandom rng);

    /** Lower-case name as used on the command line and in file names, e.g. {@code gaussian_blur}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The distortion named {@code id} (case-insensitive; {@code -} and {@code _} alike). */
    public static Distortion parse(String id) {
        for (Distortion d : values()) {
            if (d.id().equalsIgnoreCase(id.replace('-', '_'))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown distortion '" + id + "'; expected one of "
                + Arrays.stream(values()).map(Distortion::id).toList());
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    private static float[] gaussian(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    private static RgbImage jpeg(RgbImage im, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(im.toBufferedImage(), null, null), param);
            } finally {
                writer.dispose();
            }
            return new ImageDecoder().decode(bytes.toByteArray(), "JPEG q" + quality);
        } catch (ImageDecodeException e) {
            throw new IllegalStateException("the JDK's JPEG encoder wrote a file the decoder refuses: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Interleaved RGB as floats on the 0–255 scale, rounded and clipped back to bytes by {@link #image()}. */
    private static final class Pixels {
        final int w;
        final int h;
        final float[] v;

        private Pixels(int w, int h, float[] v) {
            this.w = w;
            this.h = h;
            this.v = v;
        }

        static Pixels of(RgbImage im) {
            float[] v = new float[im.rgb().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = im.rgb()[i] & 0xff;
            }
            return new Pixels(im.width(), im.height(), v);
        }

        RgbImage image() {
            byte[] out = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
            }
            return new RgbImage(w, h, out);
        }

        /** A 1-D kernel along rows ({@code horizontal}) or columns, edges replicated. */
        Pixels convolve(float[] kernel, boolean horizontal) {
            int r = kernel.length / 2;
            float[] out = new float[v.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        float s = 0;
                        for (int k = -r; k <= r; k++) {
                            int sx = horizontal ? clamp(x + k, w) : x;
                            int sy = horizontal ? y : clamp(y + k, h);
                            s += kernel[k + r] * v[(sy * w + sx) * 3 + c];
                        }
                        out[(y * w + x) * 3 + c] = s;
                    }
                }
            }
            return new Pixels(w, h, out);
        }

        /** The mean over the pixels at the given (dx, dy) offsets, edges replicated. */
        Pixels average(int[][] offsets) {
            float[] out = new float[v.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = (y * w + x) * 3;
                    for (int[] o : offsets) {
                        int q = (clamp(y + o[1], h) * w + clamp(x + o[0], w)) * 3;
                        out[p] += v[q];
                        out[p + 1] += v[q + 1];
                        out[p + 2] += v[q + 2];
                    }
                    for (int c = 0; c < 3; c++) {
                        out[p + c] /= offsets.length;
                    }
                }
            }
            return new Pixels(w, h, out);
        }
    }
}
