package org.gammaiqa.map;

import java.util.ArrayList;
import java.util.List;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringProtocol;

/**
 * The windows of a quality map over one image: 224×224 crops at x = 0, stride, 2·stride, … plus one flush with the
 * right border when the steps miss it (the same for y), so the windows cover the whole image. An image smaller than
 * 224 on a side is first upscaled as scoring does ({@link ScoringProtocol#upscale}); the windows are taken from
 * that image and their boxes scaled back to the image's own pixels in {@link #assemble}.
 */
public final class WindowGrid {
    /** Smallest stride accepted: 16 px, the patch size of ViT-B/16; finer grids cost more and show nothing new. */
    public static final int MIN_STRIDE = 16;
    /** Largest stride accepted: one window, so that the windows still touch. */
    public static final int MAX_STRIDE = ScoringProtocol.CROP_SIZE;
    /** The stride of {@code gamma map} and {@code /v1/map}: half a window. */
    public static final int DEFAULT_STRIDE = 112;

    private final RgbImage original;
    private final RgbImage scored;
    private final int stride;
    private final int[] xs;
    private final int[] ys;

    private WindowGrid(RgbImage original, RgbImage scored, int stride) {
        this.original = original;
        this.scored = scored;
        this.stride = stride;
        this.xs = positions(scored.width(), stride);
        this.ys = positions(scored.height(), stride);
    }

    /** The grid of {@code stride} over {@code image}; the stride must be {@value #MIN_STRIDE}..{@value #MAX_STRIDE}. */
    public static WindowGrid over(RgbImage image, int stride) {
        checkStride(stride);
        return new WindowGrid(image, ScoringProtocol.upscale(image), stride);
    }

    /** Refuses a stride outside {@value #MIN_STRIDE}..{@value #MAX_STRIDE}, naming the range. */
    public static void checkStride(int stride) {
        if (stride < MIN_STRIDE || stride > MAX_STRIDE) {
            throw new IllegalArgumentException("stride " + stride + " is out of range; expected " + MIN_STRIDE + " to "
                    + MAX_STRIDE + " pixels (default " + DEFAULT_STRIDE + ")");
        }
    }

    /** Left (or top) edges along a side of {@code length} ≥ 224: every stride, and a last window flush with the end. */
    static int[] positions(int length, int stride) {
        int last = length - ScoringProtocol.CROP_SIZE;
        int n = last / stride + 1;
        boolean flush = (n - 1) * stride != last;
        int[] out = new int[flush ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            out[i] = i * stride;
        }
        if (flush) {
            out[n] = last;
        }
        return out;
    }

    public int stride() {
        return stride;
    }

    public int rows() {
        return ys.length;
    }

    public int cols() {
        return xs.length;
    }

    /** Number of windows, rows × cols. */
    public int size() {
        return xs.length * ys.length;
    }

    /** The image the map is of, as given (before any upscaling). */
    public RgbImage image() {
        return original;
    }

    /** Windows [from, to) in row-major order, each a 224×224 image ready to score whole. */
    public List<RgbImage> windows(int from, int to) {
        List<RgbImage> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int size = ScoringProtocol.CROP_SIZE;
            out.add(ImageOps.crop(scored, xs[i % xs.length], ys[i / xs.length], size, size));
        }
        return out;
    }

    /**
     * The map from the windows' scores (row-major, one per window) and the image's usual score. Boxes are in the
     * image's own pixels: for an upscaled image they are the windows scaled back, rounded.
     */
    public QualityMap assemble(double[] scores, ScoreResult whole) {
        if (scores.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " window scores, got " + scores.length);
        }
        double sx = (double) original.width() / scored.width();
        double sy = (double) original.height() / scored.height();
        int size = ScoringProtocol.CROP_SIZE;
        List<QualityMap.Cell> cells = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            int x = xs[i % xs.length];
            int y = ys[i / xs.length];
            int left = (int) Math.round(x * sx);
            int top = (int) Math.round(y * sy);
            cells.add(new QualityMap.Cell(left, top, (int) Math.round((x + size) * sx) - left,
                    (int) Math.round((y + size) * sy) - top, scores[i]));
        }
        return new QualityMap(original.width(), original.height(), whole.prompts(), size, stride, rows(), cols(), cells, whole);
    }
}
