package org.gammaiqa.scoring;

import java.nio.FloatBuffer;
import java.util.List;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.text.Scene;

/**
 * The paper's test protocol, which every score goes through, and its defaults, each defined here once (the command
 * line's options, the server's and Spark's parameters take them from here). An image's path through it:
 * <ol>
 *   <li>decode as PIL's {@code convert("RGB")} ({@link ImageDecoder}, refusing more than {@link #MAX_PIXELS});</li>
 *   <li>{@link #upscale}: an image smaller than {@link #CROP_SIZE} on a side gets its short side upscaled to it;</li>
 *   <li>{@link #cropBoxes}: the crops' places ({@link CropPolicy}; the paper: {@link #CROPS} random, seed {@link #SEED});</li>
 *   <li>{@link #normalise}: CLIP's normalisation of each crop, channel-first;</li>
 *   <li>batching: the crops of several images share forward passes of at most {@link #CROPS_PER_PASS};</li>
 *   <li>averaging: an image's score and level probabilities are the means over its crops.</li>
 * </ol>
 * Batching and averaging are {@link CropBatch}, run by {@link GammaScorer}. The protocol: docs/MODEL.md, "Scoring protocol".
 */
public final class ScoringProtocol {
    /** Side of the square crops the network sees. */
    public static final int CROP_SIZE = 224;
    /** Random crops averaged per image. */
    public static final int CROPS = 10;
    /** Seed of the random crops' positions. */
    public static final long SEED = 0;
    /** The prompt set: the plain Gamma model's {@code "{level} image"} ({@link Scene#id()}). */
    public static final String SCENE = "generic";
    /** Most crops in one forward pass: one image's crops. */
    public static final int CROPS_PER_PASS = CROPS;
    /** Images whose crops share forward passes when a stream of files is scored. */
    public static final int BATCH = 4;
    /** Threads decoding images ahead of the network. */
    public static final int DECODE_THREADS = 2;
    /** Most pixels of an image, checked from its header before decoding (PIL's limit). */
    public static final long MAX_PIXELS = ImageDecoder.DecodeOptions.PIL_MAX_PIXELS;

    /** CLIP's normalisation, in float32 exactly as the reference: (v/255 − mean)/std, per channel and byte value. */
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final float[][] NORMALISED = new float[3][256];

    static {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                NORMALISED[c][v] = (v / 255f - MEAN[c]) / STD[c];
            }
        }
    }

    private ScoringProtocol() {}

    /** The defaults: the {@link #SCENE} prompts, {@link #CROPS} random crops, seed {@link #SEED}. */
    public static ScoringOptions defaults() {
        return new ScoringOptions(Scene.parse(SCENE).prompts(), new CropPolicy.Random(CROPS), SEED);
    }

    /** The image the crops are taken from: {@code image} itself, or upscaled (bicubic) to a short side of {@link #CROP_SIZE}. */
    public static RgbImage upscale(RgbImage image) {
        return ImageOps.upscaleToMinSide(image, CROP_SIZE);
    }

    /** Where the crops of an (upscaled) image are taken. */
    public static List<CropBox> cropBoxes(RgbImage upscaled, ScoringOptions options) {
        return options.crops().boxes(upscaled.width(), upscaled.height(), CROP_SIZE, options.seed());
    }

    /** Writes the normalised pixels of one crop channel-first (3, S, S) into {@code out} from {@code offset}. */
    public static void normalise(RgbImage image, CropBox box, FloatBuffer out, int offset) {
        int size = box.size();
        int plane = size * size;
        float[] row = new float[3 * size];
        byte[] rgb = image.rgb();
        for (int y = 0; y < size; y++) {
            int src = ((box.top() + y) * image.width() + box.left()) * 3;
            for (int x = 0; x < size; x++, src += 3) {
                row[x] = NORMALISED[0][rgb[src] & 0xff];
                row[size + x] = NORMALISED[1][rgb[src + 1] & 0xff];
                row[2 * size + x] = NORMALISED[2][rgb[src + 2] & 0xff];
            }
            for (int c = 0; c < 3; c++) {
                out.put(offset + c * plane + y * size, row, c * size, size);
            }
        }
    }

    /** Writes a whole image's normalised pixels channel-first (3, H, W) into {@code out} from {@code offset}. */
    public static void normalise(RgbImage image, float[] out, int offset) {
        int plane = image.width() * image.height();
        byte[] rgb = image.rgb();
        for (int i = 0, src = 0; i < plane; i++, src += 3) {
            out[offset + i] = NORMALISED[0][rgb[src] & 0xff];
            out[offset + plane + i] = NORMALISED[1][rgb[src + 1] & 0xff];
            out[offset + 2 * plane + i] = NORMALISED[2][rgb[src + 2] & 0xff];
        }
    }
}
