package org.gammaiqa.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.checkpoint.TorchCheckpointWriter;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.model.TextConfig;
import org.gammaiqa.model.TransformerConfig;
import org.gammaiqa.model.VisionConfig;

/**
 * Small generated stand-ins for what training needs: a random plain CLIP backbone (six blocks per tower, widths
 * 64/32, the full 49408-token vocabulary), images whose brightness follows their MOS, pyiqa meta-info CSVs and
 * split pickles (protocol 2, as Python writes them).
 */
public final class StandIns {
    private StandIns() {}

    /** A random CLIP state dict in OpenAI's layout: {@code layers} blocks per tower, vision width 64, text width 32. */
    public static void writeBackbone(Path file, int layers, long seed) throws IOException {
        List<Integer> none = java.util.Collections.nCopies(layers, 0);
        GammaConfig c = new GammaConfig(new VisionConfig(16, 224, new TransformerConfig(64, 256, 1, none)),
                new TextConfig(49408, 77, new TransformerConfig(32, 128, 1, none)), 32, 16, 5);
        Random rng = new Random(seed);
        Map<String, StoredTensor> sd = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(c).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("clip_model.")) {
                continue;
            }
            long[] shape = e.getValue();
            float[] v = new float[Math.toIntExact(StoredTensor.numel(shape))];
            boolean norm = key.contains("ln_");
            double scale = shape.length >= 2 ? 1 / Math.sqrt(shape[shape.length - 1]) : 0.05;
            for (int i = 0; i < v.length; i++) {
                v[i] = norm && key.endsWith("weight") ? 1 + 0.1f * (float) rng.nextGaussian() : (float) (scale * rng.nextGaussian());
            }
            if (key.equals(CheckpointLayout.logitScale())) {
                v[0] = (float) Math.log(100);
            }
            sd.put(CheckpointLayout.backboneKey(key), StoredTensor.ofFloats(shape, v));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        TorchCheckpointWriter.write(file, new StateDict(sd), null);
    }

    /** A PNG of size w×h whose brightness is {@code level} (0–1) plus texture. */
    public static void writeImage(Path file, int w, int h, double level, Random rng) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = (int) (40 + 180 * level);
                int r = clamp(base + (int) (30 * Math.sin(x / 9.0)) + rng.nextInt(20));
                int g = clamp(base + (int) (30 * Math.cos(y / 7.0)) + rng.nextInt(20));
                int b = clamp(base - 20 + rng.nextInt(20));
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** A meta-info CSV: the header, then the rows. */
    public static void writeCsv(Path file, String header, List<String> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(rows);
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** {@code {index: {"train": train, "val": val, "test": test}}} pickled with protocol 2. */
    public static void writeSplit(Path file, int index, List<Integer> train, List<Integer> val, List<Integer> test) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.write('}');
        p.write('J');
        int32(p, index);
        p.write('}');
        p.write('(');
        Map<String, List<Integer>> lists = new LinkedHashMap<>();
        lists.put("train", train);
        lists.put("val", val);
        lists.put("test", test);
        for (Map.Entry<String, List<Integer>> e : lists.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            p.write('X');
            int32(p, name.length);
            p.write(name);
            p.write(']');
            p.write('(');
            for (int r : e.getValue()) {
                p.write('J');
                int32(p, r);
            }
            p.write('e');
        }
        p.write('u');
        p.write('s');
        p.write('.');
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, p.toByteArray());
    }

    private static void int32(ByteArrayOutputStream p, int v) {
        for (int i = 0; i < 4; i++) {
            p.write(v >>> (8 * i));
        }
    }
}
