package org.gammaiqa.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;

/**
 * Writes a KADID-style dataset: {@code ref/NAME.png} (each reference, short side resized to {@code size}),
 * {@code dist/NAME_TYPE_LEVEL.png}, and {@code meta_info.csv} with columns {@code ref, dist, mos, type, level,
 * split}: one row per distorted image plus one per reference ({@code dist = ref}, level 0), MOS on KADID's 1–5
 * scale falling linearly with the level ({@code 5 − 4·level/levels}), and the split ({@code train}/{@code val}/
 * {@code test}, 80/10/10 by reference, so no reference is in two splits) that {@code gamma train} reads
 * without a split file.
 */
public final class SynthDataset {
    /** The meta-info file's name inside the output folder. */
    public static final String META_INFO = "meta_info.csv";

    /**
     * @param references folder of reference images, or null to draw {@code count} images of {@code style}
     * @param style      the procedural references' kind (ignored with {@code references})
     * @param count      number of procedural references (ignored with {@code references})
     * @param size       short side of the references, in pixels
     */
    public record Options(Path references, Procedural style, Path out, List<Distortion> types, int levels, int count,
                          int size, long seed) {
        public Options {
            types = List.copyOf(types);
            Objects.requireNonNull(style, "style");
            if (types.isEmpty() || levels < 1 || count < 1 || size < 16) {
                throw new IllegalArgumentException("synth needs at least one type, levels ≥ 1, count ≥ 1 and size ≥ 16; got "
                        + types.size() + " types, levels " + levels + ", count " + count + ", size " + size);
            }
        }
    }

    /** Told after each reference is done. */
    public interface Listener {
        void written(int done, int total);
    }

    private SynthDataset() {}

    /**
     * Generates the dataset on {@code threads} threads (one reference per task; the output does not depend on the
     * thread count); returns the number of rows written to the meta-info CSV.
     */
    public static int write(Options o, int threads, Listener listener) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected ≥ 1");
        }
        List<Path> given = o.references() == null ? List.of() : referenceFiles(o.references());
        int total = o.references() == null ? o.count() : given.size();
        Files.createDirectories(o.out().resolve("ref"));
        Files.createDirectories(o.out().resolve("dist"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BufferedWriter csv = Files.newBufferedWriter(o.out().resolve(META_INFO), StandardCharsets.UTF_8)) {
            List<Future<List<String>>> rows = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int index = i;
                rows.add(pool.submit(() -> reference(o, index, o.references() == null ? null : given.get(index))));
            }
            csv.write("ref,dist,mos,type,level,split\n");
            int written = 0;
            for (int i = 0; i < total; i++) {
                for (String row : rows.get(i).get()) {
                    csv.write(row);
                    written++;
                }
                listener.written(i + 1, total);
            }
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + o.out(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes reference {@code index} and its distortions; returns its CSV rows. */
    private static List<String> reference(Options o, int index, Path file) throws IOException {
        SplittableRandom rng = new SplittableRandom(o.seed() * 1_000_003L + index);
        String name;
        RgbImage ref;
        if (file == null) {
            name = String.format(Locale.ROOT, "%s%04d", o.style().id(), index);
            ref = o.style().draw(o.size(), o.size(), rng.split());
        } else {
            String fileName = file.getFileName().toString();
            name = fileName.substring(0, fileName.lastIndexOf('.'));
            ref = shortSide(new ImageDecoder().decode(file), o.size());
        }
        double u = rng.nextDouble();
        String split = u < 0.8 ? "train" : u < 0.9 ? "val" : "test";
        String refPath = "ref/" + name + ".png";
        writePng(ref, o.out().resolve(refPath));
        List<String> rows = new ArrayList<>();
        rows.add(refPath + "," + refPath + ",5.0,none,0," + split + "\n");
        for (Distortion d : o.types()) {
            for (int level = 1; level <= o.levels(); level++) {
                String distPath = "dist/" + name + "_" + d.id() + "_" + level + ".png";
                writePng(d.apply(ref, level, o.levels(), rng.split()), o.out().resolve(distPath));
                double mos = 5 - 4.0 * level / o.levels();
                rows.add(String.format(Locale.ROOT, "%s,%s,%.4f,%s,%d,%s%n", refPath, distPath, mos, d.id(), level, split));
            }
        }
        return rows;
    }

    private static List<Path> referenceFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("--refs " + dir + " is not a folder; expected a folder of reference images");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p) && ImageDecoder.hasImageExtension(p.getFileName().toString()))
                    .sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException("--refs " + dir + " holds no image (" + ImageDecoder.FILE_EXTENSIONS
                    + "); add references or leave --refs out to draw procedural ones");
        }
        return files;
    }

    private static RgbImage shortSide(RgbImage im, int size) {
        int w = im.width();
        int h = im.height();
        if (Math.min(w, h) == size) {
            return im;
        }
        return w <= h ? ImageOps.resizeBicubic(im, size, (int) Math.round((double) size * h / w))
                : ImageOps.resizeBicubic(im, (int) Math.round((double) size * w / h), size);
    }

    /** Writes {@code image} as an 8-bit RGB PNG. */
    public static void writePng(RgbImage image, Path file) throws IOException {
        if (!ImageIO.write(image.toBufferedImage(), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK for " + file);
        }
    }
}
