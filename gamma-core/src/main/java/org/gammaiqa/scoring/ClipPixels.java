package org.gammaiqa.scoring;

import org.gammaiqa.image.RgbImage;

/** CLIP's input normalisation (SPEC §3) for callers outside scoring, e.g. training: the same table the scorer uses. */
public final class ClipPixels {
    private ClipPixels() {}

    /** Writes the image's normalised pixels channel-first (3, H, W) into {@code out} from {@code offset}. */
    public static void writeChw(RgbImage image, float[] out, int offset) {
        int plane = image.width() * image.height();
        byte[] rgb = image.rgb();
        for (int i = 0, src = 0; i < plane; i++, src += 3) {
            out[offset + i] = CropBatch.NORMALISED[0][rgb[src] & 0xff];
            out[offset + plane + i] = CropBatch.NORMALISED[1][rgb[src + 1] & 0xff];
            out[offset + 2 * plane + i] = CropBatch.NORMALISED[2][rgb[src + 2] & 0xff];
        }
    }
}
