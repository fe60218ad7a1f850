package org.gammaiqa.map;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.gammaiqa.image.RgbImage;

/**
 * Draws a quality map over its image as a PNG: each pixel takes the mean score of the windows that cover it, in
 * {@link Viridis} over a greyscale copy of the image (dark purple: worse, yellow: better), and a legend below gives
 * the colour scale, the model, the scene, the stride and the image's score. The scale runs over the windows' scores
 * rounded out to multiples of 0.05 (at least 0.1 apart), so that small differences inside one image stay visible; the legend says which range.
 */
public final class MapRenderer {
    /** Long side of the drawn image unless asked otherwise; larger images are shrunk to it. */
    public static final int DEFAULT_MAX_SIDE = 1024;
    /** Smaller images are drawn enlarged to this long side, and the canvas is at least this wide, for the legend. */
    private static final int MIN_SIDE = 360;
    private static final int LEGEND = 80;
    /** The colour scale's ends are the windows' lowest and highest scores rounded out to multiples of this. */
    private static final double SCALE_STEP = 0.05;
    /** Weight of the map's colour over the greyscale image. */
    private static final double OPACITY = 0.6;

    private MapRenderer() {}

    /** The map over the image, the image's long side drawn at most {@code maxSide} px, as PNG bytes. */
    public static byte[] png(QualityMap map, RgbImage image, String model, int maxSide) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(render(map, image, model, maxSide), "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The map over the image with its legend, the image's long side drawn at most {@code maxSide} px. */
    public static BufferedImage render(QualityMap map, RgbImage image, String model, int maxSide) {
        if (image.width() != map.width() || image.height() != map.height()) {
            throw new IllegalArgumentException("the map is of a " + map.width() + "x" + map.height() + " image, not of this "
                    + image.width() + "x" + image.height() + " one");
        }
        int longSide = Math.max(image.width(), image.height());
        double scale = Math.max(Math.min(MIN_SIDE, maxSide), Math.min(longSide, maxSide)) / (double) longSide;
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        double lo = Math.floor(map.min() / SCALE_STEP) * SCALE_STEP;
        double hi = Math.max(lo + 2 * SCALE_STEP, Math.ceil(map.max() / SCALE_STEP) * SCALE_STEP);
        BufferedImage canvas = new BufferedImage(Math.max(w, MIN_SIDE), h + LEGEND, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            int left = (canvas.getWidth() - w) / 2;
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image.toBufferedImage(), left, 0, w, h, null);
            overlay(canvas, left, w, h, map, lo, hi);
            legend(g, canvas.getWidth(), h, map, model, lo, hi);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** Replaces the drawn image in [left, left + w) × [0, h) by its grey level blended with each pixel's map colour. */
    private static void overlay(BufferedImage canvas, int left, int w, int h, QualityMap map, double lo, double hi) {
        int[][] colRange = covering(w, map.width(), map.cols(), c -> map.cell(0, c).x(), c -> map.cell(0, c).w());
        int[][] rowRange = covering(h, map.height(), map.rows(), r -> map.cell(r, 0).y(), r -> map.cell(r, 0).h());
        // Summed-area table of the scores: sum[r][c] = Σ cells above and left of (r, c).
        double[][] sum = new double[map.rows() + 1][map.cols() + 1];
        for (int r = 0; r < map.rows(); r++) {
            for (int c = 0; c < map.cols(); c++) {
                sum[r + 1][c + 1] = map.cell(r, c).score() + sum[r][c + 1] + sum[r + 1][c] - sum[r][c];
            }
        }
        for (int y = 0; y < h; y++) {
            int r0 = rowRange[y][0];
            int r1 = rowRange[y][1] + 1;
            for (int x = 0; x < w; x++) {
                int c0 = colRange[x][0];
                int c1 = colRange[x][1] + 1;
                double mean = (sum[r1][c1] - sum[r0][c1] - sum[r1][c0] + sum[r0][c0]) / ((r1 - r0) * (c1 - c0));
                int colour = Viridis.rgb((mean - lo) / (hi - lo));
                int p = canvas.getRGB(left + x, y);
                double grey = 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
                int out = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    out |= (int) Math.round(OPACITY * ((colour >> shift) & 0xff) + (1 - OPACITY) * grey) << shift;
                }
                canvas.setRGB(left + x, y, out);
            }
        }
    }

    private interface Edge {
        int at(int index);
    }

    /**
     * For each of {@code drawn} pixels along a side of {@code length} image pixels, the first and last of the
     * {@code n} windows (sorted, starting at {@code start}, of extent {@code extent}) that cover its centre.
     */
    private static int[][] covering(int drawn, int length, int n, Edge start, Edge extent) {
        int[][] out = new int[drawn][2];
        for (int d = 0; d < drawn; d++) {
            double at = (d + 0.5) * length / drawn;
            int first = 0;
            while (first < n - 1 && start.at(first) + extent.at(first) <= at) {
                first++;
            }
            int last = first;
            while (last < n - 1 && start.at(last + 1) <= at) {
                last++;
            }
            out[d][0] = first;
            out[d][1] = last;
        }
        return out;
    }

    private static void legend(Graphics2D g, int width, int top, QualityMap map, String model, double lo, double hi) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int margin = 10;
        int barTop = top + 8;
        int barWidth = width - 2 * margin;
        for (int x = 0; x < barWidth; x++) {
            g.setColor(new Color(Viridis.rgb((double) x / (barWidth - 1))));
            g.fillRect(margin + x, barTop, 1, 12);
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int labels = barTop + 12 + fm.getAscent() + 2;
        String low = String.format(Locale.ROOT, "%.2f worse", lo);
        String high = String.format(Locale.ROOT, "better %.2f", hi);
        String middle = String.format(Locale.ROOT, "%.3f", (lo + hi) / 2);
        g.drawString(low, margin, labels);
        g.drawString(middle, (width - fm.stringWidth(middle)) / 2, labels);
        g.drawString(high, width - margin - fm.stringWidth(high), labels);
        String caption = String.format(Locale.ROOT, "%s · scene %s · stride %d · image %.3f · windows %.3f–%.3f",
                model, map.scene(), map.stride(), map.whole().score(), map.min(), map.max());
        List<String> lines = fm.stringWidth(caption) <= width - 2 * margin ? List.of(caption) : List.of(
                String.format(Locale.ROOT, "%s · %s · stride %d", model, map.scene(), map.stride()),
                String.format(Locale.ROOT, "image %.3f · windows %.3f–%.3f", map.whole().score(), map.min(), map.max()));
        int y = labels + fm.getHeight() + 2;
        g.setColor(Color.BLACK);
        for (String line : lines) {
            g.drawString(line, margin, y);
            y += fm.getHeight();
        }
    }
}
