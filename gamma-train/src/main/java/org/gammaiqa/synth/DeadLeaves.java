package org.gammaiqa.synth;

import java.util.SplittableRandom;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;

/**
 * Procedural reference images from the dead-leaves model (Lee, Mumford and Huang 2001), whose occlusions and
 * power-law sizes give natural images' scale-invariant statistics: discs of radius density ∝ r⁻³ dropped in
 * depth order over a sky-like vertical gradient, each with its own colour, a linear shading and, for some, a
 * fine stripe texture; drawn at twice the size and downscaled (bicubic) for soft, anti-aliased edges.
 */
public final class DeadLeaves {
    private static final int SUPERSAMPLE = 2;

    private DeadLeaves() {}

    /** One image of {@code width}×{@code height}; the same generator state gives the same image. */
    public static RgbImage draw(int width, int height, SplittableRandom rng) {
        int w = width * SUPERSAMPLE;
        int h = height * SUPERSAMPLE;
        float[] rgb = new float[w * h * 3];
        float[] top = color(rng);
        float[] bottom = color(rng);
        for (int y = 0; y < h; y++) {
            float t = y / (float) (h - 1);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = top[c] * (1 - t) + bottom[c] * t;
                }
            }
        }
        double rMin = 0.01 * w;
        double rMax = 0.35 * w;
        int leaves = 2000 + rng.nextInt(2000);
        for (int i = 0; i < leaves; i++) {
            // inverse-CDF draw from density ∝ r^-3 on [rMin, rMax]
            double u = rng.nextDouble();
            double r = 1 / Math.sqrt(1 / (rMin * rMin) - u * (1 / (rMin * rMin) - 1 / (rMax * rMax)));
            leaf(rgb, w, h, rng.nextDouble(-r, w + r), rng.nextDouble(-r, h + r), r, rng);
        }
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(rgb[i])));
        }
        return ImageOps.resizeBicubic(new RgbImage(w, h, out), width, height);
    }

    private static void leaf(float[] rgb, int w, int h, double cx, double cy, double r, SplittableRandom rng) {
        float[] base = color(rng);
        double gx = rng.nextDouble(-1, 1) * 60 / r;
        double gy = rng.nextDouble(-1, 1) * 60 / r;
        boolean striped = rng.nextInt(4) == 0;
        double period = rng.nextDouble(3, 12);
        double angle = rng.nextDouble(Math.PI);
        double amplitude = rng.nextDouble(10, 40);
        double ca = Math.cos(angle);
        double sa = Math.sin(angle);
        int x0 = (int) Math.max(0, Math.floor(cx - r));
        int x1 = (int) Math.min(w - 1, Math.ceil(cx + r));
        int y0 = (int) Math.max(0, Math.floor(cy - r));
        int y1 = (int) Math.min(h - 1, Math.ceil(cy + r));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x - cx;
                double dy = y - cy;
                if (dx * dx + dy * dy > r * r) {
                    continue;
                }
                double shade = gx * dx + gy * dy;
                if (striped) {
                    shade += amplitude * Math.sin(2 * Math.PI * (dx * ca + dy * sa) / period);
                }
                int p = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    rgb[p + c] = (float) (base[c] + shade);
                }
            }
        }
    }

    /** A colour with natural-looking saturation: a grey level plus a moderate chroma. */
    static float[] color(SplittableRandom rng) {
        double grey = rng.nextDouble(30, 225);
        double chroma = rng.nextDouble(0, 70);
        float[] c = new float[3];
        for (int i = 0; i < 3; i++) {
            c[i] = (float) (grey + chroma * rng.nextDouble(-1, 1));
        }
        return c;
    }
}
