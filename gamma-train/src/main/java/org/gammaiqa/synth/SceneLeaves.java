package org.gammaiqa.synth;

import java.util.SplittableRandom;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;

/**
 * Photo-like procedural reference images: the dead-leaves model of {@link DeadLeaves} made to look more like
 * photographs, with large smooth areas, natural textures and depth of field as well as clutter: ellipses of radius
 * density ∝ r⁻³ dropped in depth order over a sky-like gradient with clouds, in colours from a small per-image
 * palette; each leaf flat with a linear shading, striped, or filled with a natural texture (a fractal field, coarse
 * or fine-grained). Scenes range from a few large objects to dense clutter, and some have a defocused background
 * (the leaves drawn first are blurred before the rest fall on them); each scene then gets its own exposure and
 * colourfulness. Drawn at twice the size and downscaled (bicubic) for soft, anti-aliased edges.
 */
public final class SceneLeaves {
    private static final int SUPERSAMPLE = 2;
    private static final int PALETTE = 5;

    private SceneLeaves() {}

    /** One image of {@code width}×{@code height}; the same generator state gives the same image. */
    public static RgbImage draw(int width, int height, SplittableRandom rng) {
        Canvas c = new Canvas(width * SUPERSAMPLE, height * SUPERSAMPLE, rng);
        c.sky(rng);
        int leaves = (int) Math.round(Math.exp(rng.nextDouble(Math.log(20), Math.log(4000))));
        double rMin = c.w * Math.exp(rng.nextDouble(Math.log(0.006), Math.log(0.04)));
        double rMax = 0.5 * c.w;
        int defocusAfter = rng.nextInt(10) < 3 ? (int) (leaves * rng.nextDouble(0.5, 0.9)) : -1;
        for (int i = 0; i < leaves; i++) {
            if (i == defocusAfter) {
                c.defocus(rng.nextDouble(1.5, 8), rng);
            }
            // inverse-CDF draw from density ∝ r^-3 on [rMin, rMax]
            double u = rng.nextDouble();
            double r = 1 / Math.sqrt(1 / (rMin * rMin) - u * (1 / (rMin * rMin) - 1 / (rMax * rMax)));
            c.leaf(rng.nextDouble(-r, c.w + r), rng.nextDouble(-r, c.h + r), r, rng);
        }
        c.tone(rng);
        return ImageOps.resizeBicubic(c.image(), width, height);
    }

    /** The float RGB canvas of one image, with its palette and texture fields. */
    private static final class Canvas {
        final int w;
        final int h;
        final float[] rgb;
        final float[][] palette = new float[PALETTE][];
        /** Coarse (cloud, bark, foliage) and fine-grained (sand, fabric, grass) textures in about [-1, 1]. */
        final float[] coarse;
        final float[] fine;

        Canvas(int w, int h, SplittableRandom rng) {
            this.w = w;
            this.h = h;
            this.rgb = new float[w * h * 3];
            for (int i = 0; i < PALETTE; i++) {
                palette[i] = DeadLeaves.color(rng);
            }
            coarse = fractal(w, h, w / 4.0, 6, rng.nextDouble(0.45, 0.7), rng);
            fine = fractal(w, h, rng.nextDouble(2, 6), 2, 0.5, rng);
        }

        void sky(SplittableRandom rng) {
            float[] top = jitter(palette[0], rng);
            float[] bottom = jitter(palette[1], rng);
            double clouds = rng.nextDouble(0, 30);
            for (int y = 0; y < h; y++) {
                float t = y / (float) (h - 1);
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    float cloud = (float) (clouds * coarse[p]);
                    for (int k = 0; k < 3; k++) {
                        rgb[p * 3 + k] = top[k] * (1 - t) + bottom[k] * t + cloud;
                    }
                }
            }
        }

        void leaf(double cx, double cy, double r, SplittableRandom rng) {
            float[] base = jitter(palette[rng.nextInt(PALETTE)], rng);
            double gx = rng.nextDouble(-1, 1) * 60 / r;
            double gy = rng.nextDouble(-1, 1) * 60 / r;
            double aspect = rng.nextDouble(1, 3);
            double tilt = rng.nextDouble(Math.PI);
            double ct = Math.cos(tilt);
            double st = Math.sin(tilt);
            double ra = r * Math.sqrt(aspect);
            double rb = r / Math.sqrt(aspect);
            int fill = rng.nextInt(20);
            boolean striped = fill < 2;
            float[] texture = fill < 9 ? coarse : fill < 13 ? fine : null;
            double amplitude = texture == fine ? rng.nextDouble(5, 25) : rng.nextDouble(10, 45);
            double period = rng.nextDouble(3, 12);
            double angle = rng.nextDouble(Math.PI);
            double ca = Math.cos(angle);
            double sa = Math.sin(angle);
            int ox = rng.nextInt(w);
            int oy = rng.nextInt(h);
            int x0 = (int) Math.max(0, Math.floor(cx - ra));
            int x1 = (int) Math.min(w - 1, Math.ceil(cx + ra));
            int y0 = (int) Math.max(0, Math.floor(cy - ra));
            int y1 = (int) Math.min(h - 1, Math.ceil(cy + ra));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double dx = x - cx;
                    double dy = y - cy;
                    double a = (dx * ct + dy * st) / ra;
                    double b = (dy * ct - dx * st) / rb;
                    if (a * a + b * b > 1) {
                        continue;
                    }
                    double shade = gx * dx + gy * dy;
                    if (striped) {
                        shade += amplitude * Math.sin(2 * Math.PI * (dx * ca + dy * sa) / period);
                    } else if (texture != null) {
                        shade += amplitude * texture[((y + oy) % h) * w + (x + ox) % w];
                    }
                    int p = (y * w + x) * 3;
                    for (int k = 0; k < 3; k++) {
                        rgb[p + k] = (float) (base[k] + shade);
                    }
                }
            }
        }

        /**
         * The scene's exposure and colourfulness, as photographs vary: a tone curve {@code 255·(v/255)^γ} with γ
         * from 0.7 (bright) to 1.8 (dark) and chroma scaled by 0.6 … 1.9 around each pixel's grey.
         */
        void tone(SplittableRandom rng) {
            double gamma = Math.exp(rng.nextDouble(Math.log(0.7), Math.log(1.8)));
            double chroma = rng.nextDouble(0.6, 1.9);
            for (int p = 0; p < rgb.length; p += 3) {
                float grey = (rgb[p] + rgb[p + 1] + rgb[p + 2]) / 3;
                for (int k = 0; k < 3; k++) {
                    double v = Math.max(0, Math.min(255, grey + chroma * (rgb[p + k] - grey)));
                    rgb[p + k] = (float) (255 * Math.pow(v / 255, gamma));
                }
            }
        }

        /** Blurs everything drawn so far: a background out of focus. */
        void defocus(double sigma, SplittableRandom rng) {
            RgbImage blurred = Distortion.GAUSSIAN_BLUR.apply(image(), sigma, rng);
            byte[] px = blurred.rgb();
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = px[i] & 0xff;
            }
        }

        RgbImage image() {
            byte[] out = new byte[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                out[i] = (byte) Math.max(0, Math.min(255, Math.round(rgb[i])));
            }
            return new RgbImage(w, h, out);
        }
    }

    /**
     * Value noise summed over {@code octaves}, the first with cells of {@code cell} pixels, each next one with
     * cells half as large and amplitude × {@code persistence}; smooth (smoothstep) interpolation; about [-1, 1].
     */
    private static float[] fractal(int w, int h, double cell, int octaves, double persistence, SplittableRandom rng) {
        float[] out = new float[w * h];
        double amplitude = 1;
        double total = 0;
        for (int o = 0; o < octaves; o++, cell /= 2, amplitude *= persistence) {
            double size = Math.max(1, cell);
            int gw = (int) Math.ceil(w / size) + 2;
            int gh = (int) Math.ceil(h / size) + 2;
            float[] grid = new float[gw * gh];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = (float) rng.nextDouble(-1, 1);
            }
            for (int y = 0; y < h; y++) {
                double fy = y / size;
                int iy = (int) fy;
                double ty = smooth(fy - iy);
                for (int x = 0; x < w; x++) {
                    double fx = x / size;
                    int ix = (int) fx;
                    double tx = smooth(fx - ix);
                    int g = iy * gw + ix;
                    double top = grid[g] + (grid[g + 1] - grid[g]) * tx;
                    double bottom = grid[g + gw] + (grid[g + gw + 1] - grid[g + gw]) * tx;
                    out[y * w + x] += (float) (amplitude * (top + (bottom - top) * ty));
                }
            }
            total += amplitude;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) (total * 0.6);
        }
        return out;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    /** A palette colour varied a little for one leaf. */
    private static float[] jitter(float[] c, SplittableRandom rng) {
        double light = rng.nextDouble(-35, 35);
        float[] out = new float[3];
        for (int k = 0; k < 3; k++) {
            out[k] = (float) (c[k] + light + rng.nextDouble(-12, 12));
        }
        return out;
    }
}
