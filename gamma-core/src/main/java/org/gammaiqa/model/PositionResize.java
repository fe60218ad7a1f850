package org.gammaiqa.model;

/**
 * The 1-D interpolation matrix of torch's {@code F.interpolate(mode="bicubic", align_corners=False)}
 * (cubic convolution, A = −0.75, edge indices clamped, no antialias). DJL's own bicubic always
 * antialiases, so the vision tower resizes its positional embedding with this matrix instead.
 */
final class PositionResize {
    private static final double A = -0.75;

    private PositionResize() {}

    /** R (out × in) such that {@code R·X} resizes the rows of X from {@code in} to {@code out}. */
    static float[] matrix(int in, int out) {
        float[] r = new float[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = (o + 0.5) * scale - 0.5;
            int base = (int) Math.floor(src);
            double t = src - base;
            double[] w = {cubic(t + 1), cubic(t), cubic(1 - t), cubic(2 - t)};
            for (int k = 0; k < 4; k++) {
                int i = Math.min(Math.max(base - 1 + k, 0), in - 1);
                r[o * in + i] += (float) w[k];
            }
        }
        return r;
    }

    private static double cubic(double x) {
        x = Math.abs(x);
        if (x <= 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
        return 0;
    }
}
