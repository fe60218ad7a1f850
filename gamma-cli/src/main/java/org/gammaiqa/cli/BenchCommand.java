package org.gammaiqa.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.model.ComputeCost;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gamma bench}: load time, images/s, crops/s, peak memory and the fraction of this machine's
 * matrix-multiply peak that scoring reaches, the peak measured in the same process with a large
 * libtorch matmul. Prints a table and, last, one JSON line for scripts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure scoring speed against this machine's matrix-multiply peak (paper protocol by default).")
final class BenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ModelOptions modelOptions;

    @Option(names = "--images", paramLabel = "DIR", description = "Images to score (default: 4 generated 512×384 images).")
    Path images;

    @Option(names = "--crops", defaultValue = "10", description = "Random crops per image (default: ${DEFAULT-VALUE}).")
    int crops;

    @Option(names = "--rounds", defaultValue = "2", description = "Passes over the images after one warm-up image (default: ${DEFAULT-VALUE}).")
    int rounds;


    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (GammaScorer scorer = modelOptions.load()) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            List<RgbImage> pixels = images == null ? generated() : decodeAll(images);
            ScoringOptions options = ScoringOptions.defaults().withCrops(new CropPolicy.Random(crops));
            scorer.score(pixels.get(0), options); // warm-up: first-call native initialisation and prompt features
            long start = System.nanoTime();
            int scored = 0;
            for (int r = 0; r < rounds; r++) {
                for (RgbImage img : pixels) {
                    scorer.score(img, options);
                    scored++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double peak = matmulPeakGflops();
            double perImage = seconds / scored;
            double cropsPerSecond = scored * crops / seconds;
            double gmacsPerCrop = ComputeCost.visionPerCrop(scorer.config(), ScoringOptions.CROP_SIZE) / 1e9;
            double achieved = 2 * gmacsPerCrop * cropsPerSecond;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", modelOptions.describe());
            result.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
            result.put("load_s", loadSeconds);
            result.put("images", scored);
            result.put("crops_per_image", crops);
            result.put("seconds_per_image", perImage);
            result.put("images_per_s", 1 / perImage);
            result.put("crops_per_s", cropsPerSecond);
            result.put("gmacs_per_crop", gmacsPerCrop);
            result.put("achieved_gflops", achieved);
            result.put("matmul_peak_gflops", peak);
            result.put("fraction_of_peak", achieved / peak);
            result.put("peak_rss_mb", peakRssMb());
            out.printf("load            %.2f s%n", loadSeconds);
            out.printf("scoring         %d images × %d crops: %.3f s/image, %.3f images/s, %.2f crops/s%n",
                    scored, crops, perImage, 1 / perImage, cropsPerSecond);
            out.printf("compute         %.1f G multiply-adds per crop → %.1f GFLOP/s achieved; prompts %.1f G once per prompt set%n",
                    gmacsPerCrop, achieved, ComputeCost.textPerPromptSet(scorer.config(), scorer.config().levels()) / 1e9);
            out.printf("matmul peak     %.1f GFLOP/s (libtorch, 2048³ float32) → %.0f %% of peak%n", peak, 100 * achieved / peak);
            out.printf("peak RSS        %.0f MB (checkpoint file %.0f MB)%n", peakRssMb(), Files.size(scorer.source().path()) / 1e6);
            out.println(new ObjectMapper().writeValueAsString(result));
            return 0;
        }
    }

    /** Best of several timed 2048³ float32 matrix products, in GFLOP/s. */
    static double matmulPeakGflops() {
        int n = 2048;
        double best = 0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            for (int i = 0; i < 6; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = a.duplicate();
                    x.attach(step);
                    long t = System.nanoTime();
                    x.matMul(b).toFloatArray();
                    double s = (System.nanoTime() - t) / 1e9;
                    best = Math.max(best, 2.0 * n * n * n / s / 1e9);
                }
            }
        }
        return best;
    }

    private static double peakRssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static List<RgbImage> decodeAll(Path dir) throws Exception {
        List<RgbImage> out = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder();
        for (ImageFiles files = new ImageFiles(List.of(dir)); files.hasNext(); ) {
            out.add(decoder.decode(files.next()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no images found in " + dir);
        }
        return out;
    }

    /** Four smooth 512×384 test images, different from each other (the content does not change the cost). */
    private static List<RgbImage> generated() {
        List<RgbImage> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int w = 512;
            int h = 384;
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    rgb[i] = (byte) (x * 255 / w);
                    rgb[i + 1] = (byte) (y * 255 / h);
                    rgb[i + 2] = (byte) ((x * y * (k + 1)) >> 8);
                }
            }
            out.add(new RgbImage(w, h, rgb));
        }
        return out;
    }
}
