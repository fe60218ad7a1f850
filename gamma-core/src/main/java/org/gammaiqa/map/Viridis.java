package org.gammaiqa.map;

/**
 * The viridis colour map (van der Walt and Smith, matplotlib 2.0; public domain): perceptually uniform, readable in
 * greyscale and by colour-blind viewers, dark purple at 0 to yellow at 1. Eleven samples at 0, 0.1, …, 1 of the
 * published map, linearly interpolated between.
 */
final class Viridis {
    private static final int[] SAMPLES = {
        0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725,
    };

    private Viridis() {}

    /** The colour at {@code t} (clamped to 0..1) as 0xRRGGBB. */
    static int rgb(double t) {
        double u = Math.max(0, Math.min(1, t)) * (SAMPLES.length - 1);
        int i = Math.min(SAMPLES.length - 2, (int) u);
        double f = u - i;
        int a = SAMPLES[i];
        int b = SAMPLES[i + 1];
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double v = ((a >> shift) & 0xff) * (1 - f) + ((b >> shift) & 0xff) * f;
            out |= (int) Math.round(v) << shift;
        }
        return out;
    }
}
