package org.gammaiqa.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A prediction-vs-MOS scatter plot of one dataset as a PNG (plain Java2D, headless), with the identity line. */
public final class ScatterPlot {
    private static final int SIZE = 480;
    private static final int MARGIN = 50;

    private ScatterPlot() {}

    public static void write(DatasetResult r, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
            double lo = Math.min(min(r.predictions()), min(r.mos()));
            double hi = Math.max(max(r.predictions()), max(r.mos()));
            if (!(hi > lo)) {
                hi = lo + 1;
            }
            int plot = SIZE - 2 * MARGIN;
            g.setColor(Color.GRAY);
            g.drawRect(MARGIN, MARGIN, plot, plot);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f}, 0f));
            g.drawLine(MARGIN, MARGIN + plot, MARGIN + plot, MARGIN);
            g.setColor(new Color(30, 90, 200, 140));
            for (int i = 0; i < r.n(); i++) {
                int x = MARGIN + (int) Math.round((r.mos()[i] - lo) / (hi - lo) * plot);
                int y = MARGIN + plot - (int) Math.round((r.predictions()[i] - lo) / (hi - lo) * plot);
                g.fillOval(x - 3, y - 3, 6, 6);
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(String.format(Locale.ROOT, "%s (%s)  n=%d  SRCC %.4f  PLCC %.4f", r.dataset(), r.scene(), r.n(),
                    r.model().get(Metric.SRCC), r.model().get(Metric.PLCC)), MARGIN, MARGIN - 15);
            g.drawString("normalised MOS", SIZE / 2 - 45, SIZE - 15);
            g.drawString(String.format(Locale.ROOT, "%.2f", lo), MARGIN - 10, MARGIN + plot + 18);
            g.drawString(String.format(Locale.ROOT, "%.2f", hi), MARGIN + plot - 20, MARGIN + plot + 18);
            g.rotate(-Math.PI / 2);
            g.drawString("prediction", -SIZE / 2 - 30, 20);
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer available to write " + png);
        }
    }

    private static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElse(0);
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElse(1);
    }
}
