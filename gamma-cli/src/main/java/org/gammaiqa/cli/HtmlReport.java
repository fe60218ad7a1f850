package org.gammaiqa.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.MapRenderer;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.map.WindowGrid;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringProtocol;

/**
 * {@code gamma score --report FILE}: one self-contained HTML page of a run — a histogram of the scores
 * (inline SVG), every scored image as a thumbnail (an embedded JPEG data URI) sorted best first, and
 * the failures with their errors; with {@code --report-maps}, also each image's quality map, worst image
 * first. Thumbnails and maps are made from the files again at the end, so the run never holds pixels
 * for the report.
 */
final class HtmlReport {
    static final int THUMBNAIL = 96;
    /** Long side of the image in a report's quality map. */
    static final int MAP_SIDE = 360;
    private static final int BINS = 20;

    private HtmlReport() {}

    /** How the report draws quality maps: each image decoded again and mapped at the default stride. */
    record Maps(QualityMapper mapper, ImageDecoder decoder, ScoringOptions options, String model) {
        /** The map of {@code image} as a JPEG data URI, or null when it cannot be made. */
        String dataUri(Path image) {
            try {
                RgbImage pixels = decoder.decode(image);
                return jpegDataUri(MapRenderer.render(mapper.map(pixels, options, WindowGrid.DEFAULT_STRIDE), pixels, model, MAP_SIDE));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** @param maps how to draw each image's quality map, or null for none */
    static void write(Path file, List<ResultWriter.Row> rows, String title, Maps maps) throws IOException {
        List<ResultWriter.Row> scored = new ArrayList<>(rows.stream().filter(r -> !r.failed()).toList());
        scored.sort(Comparator.comparingDouble(ResultWriter.Row::score).reversed());
        List<ResultWriter.Row> failed = rows.stream().filter(ResultWriter.Row::failed).toList();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>"
                    + "body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
                    + ".grid{display:flex;flex-wrap:wrap;gap:8px}"
                    + "figure{margin:0;width:" + THUMBNAIL + "px;font-size:11px;text-align:center}"
                    + "figure img,figure .none{width:" + THUMBNAIL + "px;height:" + THUMBNAIL + "px;object-fit:contain;background:#eee;display:block}"
                    + "figcaption{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}"
                    + ".map{width:auto}.map img{width:auto;height:auto;max-width:" + (MAP_SIDE + 40) + "px;object-fit:none}"
                    + "table{border-collapse:collapse}td{border:1px solid #ccc;padding:2px 6px;vertical-align:top}"
                    + "</style></head><body>\n");
            w.write("<h1>" + escape(title) + "</h1>\n<p>" + scored.size() + " images scored, " + failed.size() + " failed.</p>\n");
            w.write(histogram(scored.stream().mapToDouble(ResultWriter.Row::score).toArray()));
            w.write("<h2>Images, best first</h2>\n<div class=\"grid\">\n");
            for (ResultWriter.Row r : scored) {
                String thumb = thumbnail(Path.of(r.path()));
                w.write("<figure title=\"" + escape(r.path()) + "\">"
                        + (thumb != null ? "<img alt=\"\" src=\"" + thumb + "\">" : "<div class=\"none\"></div>")
                        + "<figcaption>" + String.format(Locale.ROOT, "%.4f", r.score()) + "<br>" + escape(Path.of(r.path()).getFileName().toString())
                        + "</figcaption></figure>\n");
            }
            w.write("</div>\n");
            if (maps != null) {
                w.write("<h2>Quality maps, worst image first</h2>\n<p>Each " + ScoringProtocol.CROP_SIZE + "×" + ScoringProtocol.CROP_SIZE + " window scored alone, stride "
                        + WindowGrid.DEFAULT_STRIDE + "; dark purple is worse, yellow better, on each map's own scale.</p>\n<div class=\"grid\">\n");
                for (int i = scored.size() - 1; i >= 0; i--) {
                    ResultWriter.Row r = scored.get(i);
                    String map = maps.dataUri(Path.of(r.path()));
                    w.write("<figure class=\"map\" title=\"" + escape(r.path()) + "\">"
                            + (map != null ? "<img alt=\"quality map\" src=\"" + map + "\">" : "<div class=\"none\"></div>")
                            + "<figcaption>" + String.format(Locale.ROOT, "%.4f", r.score()) + " " + escape(Path.of(r.path()).getFileName().toString())
                            + (map != null ? "" : " (no map: the image could not be read again)") + "</figcaption></figure>\n");
                }
                w.write("</div>\n");
            }
            w.write("<h2>Failures</h2>\n");
            if (failed.isEmpty()) {
                w.write("<p>None.</p>\n");
            } else {
                w.write("<table><tr><td><b>path</b></td><td><b>error</b></td></tr>\n");
                for (ResultWriter.Row r : failed) {
                    w.write("<tr><td>" + escape(r.path()) + "</td><td>" + escape(r.error()) + "</td></tr>\n");
                }
                w.write("</table>\n");
            }
            w.write("</body></html>\n");
        }
    }

    /** Bars of {@value #BINS} equal bins from min(0, lowest) to max(1, highest), as inline SVG. */
    static String histogram(double[] scores) {
        double lo = 0;
        double hi = 1;
        for (double s : scores) {
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
        }
        int[] counts = new int[BINS];
        for (double s : scores) {
            counts[Math.min(BINS - 1, (int) ((s - lo) / (hi - lo) * BINS))]++;
        }
        int most = 1;
        for (int c : counts) {
            most = Math.max(most, c);
        }
        int width = 600;
        int height = 160;
        int bar = width / BINS;
        StringBuilder svg = new StringBuilder("<h2>Score histogram</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width
                + "\" height=\"" + (height + 20) + "\" role=\"img\" aria-label=\"score histogram\">\n");
        for (int i = 0; i < BINS; i++) {
            int h = (int) Math.round((double) counts[i] / most * height);
            double from = lo + (hi - lo) * i / BINS;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4a7fb5\"><title>%.3f–%.3f: %d</title></rect>%n",
                    i * bar + 1, height - h, bar - 2, h, from, from + (hi - lo) / BINS, counts[i]));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">%.2f</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.2f</text>%n",
                height + 15, lo, width, height + 15, hi));
        return svg.append("</svg>\n").toString();
    }

    /** A JPEG data URI of the image at most {@value #THUMBNAIL} px on a side, or null when it cannot be read. */
    static String thumbnail(Path image) {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int side = Math.max(reader.getWidth(0), reader.getHeight(0));
                int step = Math.max(1, side / (2 * THUMBNAIL));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage src = reader.read(0, param);
                double scale = Math.min(1.0, (double) THUMBNAIL / Math.max(src.getWidth(), src.getHeight()));
                int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
                int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
                BufferedImage thumb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = thumb.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(src, 0, 0, w, h, null);
                g.dispose();
                return jpegDataUri(thumb);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String jpegDataUri(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
