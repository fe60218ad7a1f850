package org.gammaiqa.cli;

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
import org.gammaiqa.model.MatmulPeak;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringPipeline;
import org.gammaiqa.scoring.ScoringProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gamma bench}: load time, seconds per image, crops/s, peak memory and the fraction of this machine's
 * matrix-multiply peak that scoring reaches, the peak measured in the same process with a large
 * product on the kernel the network uses; with {@code --images}, also the throughput of the scoring pipeline over the folder
 * (decoding in parallel) and how busy it kept the network. Prints a table and, last, one JSON line for scripts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure scoring speed against this machine's matrix-multiply peak (paper protocol by default).")
final class BenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ModelOptions modelOptions;

    @Option(names = "--images", paramLabel = "DIR", description = "Images to score (default: 4 generated 512×384 images).")
    Path images;

    @Option(names = "--crops", defaultValue = "" + ScoringProtocol.CROPS, description = "Random crops per image (default: ${DEFAULT-VALUE}).")
    int crops;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Timed passes over the images, one image at a time, after one warm-up image; 0 skips them (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--batch", defaultValue = "" + ScoringProtocol.BATCH, description = "With --images: images whose crops share forward passes in the pipeline pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--decode-threads", defaultValue = "" + ScoringProtocol.DECODE_THREADS, description = "With --images: threads decoding ahead of the network in the pipeline pass (default: ${DEFAULT-VALUE}).")
    int decodeThreads;


    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (GammaScorer scorer = modelOptions.load()) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            ScoringOptions options = ScoringOptions.defaults().withCrops(new CropPolicy.Random(crops));
            List<Path> files = images == null ? List.of() : listImages(images);
            ImageDecoder decoder = new ImageDecoder();
            List<RgbImage> generated = images == null ? generated() : List.of();
            // warm-up: first-call native initialisation and prompt features
            scorer.score(images == null ? generated.get(0) : decoder.decode(files.get(0)), options);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", modelOptions.describe());
            result.put("precision", scorer.runtime().precision().name().toLowerCase(java.util.Locale.ROOT));
            result.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
            result.put("load_s", loadSeconds);
            out.printf("load            %.2f s%n", loadSeconds);
            if (rounds > 0) {
                double seconds = 0;
                int scored = 0;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < Math.max(files.size(), generated.size()); i++) {
                        RgbImage img = images == null ? generated.get(i) : decoder.decode(files.get(i));
                        long start = System.nanoTime();
                        scorer.score(img, options);
                        seconds += (System.nanoTime() - start) / 1e9;
                        scored++;
                    }
                }
                double mklPeak = MatmulPeak.gflops(false);
                double peak = MatmulPeak.gflops(true);
                double perImage = seconds / scored;
                double cropsPerSecond = scored * crops / seconds;
                double gmacsPerCrop = ComputeCost.visionPerCrop(scorer.config(), ScoringProtocol.CROP_SIZE) / 1e9;
                double achieved = 2 * gmacsPerCrop * cropsPerSecond;
                result.put("images", scored);
                result.put("crops_per_image", crops);
                result.put("seconds_per_image", perImage);
                result.put("images_per_s", 1 / perImage);
                result.put("crops_per_s", cropsPerSecond);
                result.put("gmacs_per_crop", gmacsPerCrop);
                result.put("achieved_gflops", achieved);
                result.put("matmul_peak_gflops", peak);
                result.put("libtorch_matmul_gflops", mklPeak);
                result.put("fraction_of_peak", achieved / peak);
                out.printf("scoring         %d images × %d crops, one at a time (decoding not timed): %.3f s/image, %.3f images/s, %.2f crops/s%n",
                        scored, crops, perImage, 1 / perImage, cropsPerSecond);
                out.printf("compute         %.1f G multiply-adds per crop → %.1f GFLOP/s achieved; prompts %.1f G once per prompt set%n",
                        gmacsPerCrop, achieved, ComputeCost.textPerPromptSet(scorer.config(), scorer.config().levels()) / 1e9);
                out.printf("matmul peak     %.1f GFLOP/s (oneDNN linear, 2048³ float32; libtorch's own linear: %.1f) → %.0f %% of peak%n",
                        peak, mklPeak, 100 * achieved / peak);
            }
            if (images != null) {
                ScoringPipeline pipeline = new ScoringPipeline(scorer, decoder, options, decodeThreads, batch);
                ScoringPipeline.Summary s = pipeline.run(files.iterator(), o -> { });
                result.put("pipeline_images", s.scored());
                result.put("pipeline_failed", s.failed());
                result.put("pipeline_images_per_s", s.scored() / s.wallSeconds());
                result.put("network_busy", s.networkSeconds() / s.wallSeconds());
                out.printf("pipeline        %d images (%d failed), %d decode threads, %d images per group: %.3f images/s, network busy %.0f %% of %.1f s%n",
                        s.scored(), s.failed(), decodeThreads, batch, s.scored() / s.wallSeconds(),
                        100 * s.networkSeconds() / s.wallSeconds(), s.wallSeconds());
            }
            result.put("peak_rss_mb", peakRssMb());
            out.printf("peak RSS        %.0f MB (checkpoint file %.0f MB)%n", peakRssMb(), Files.size(scorer.source().path()) / 1e6);
            out.println(new ObjectMapper().writeValueAsString(result));
            return 0;
        }
    }

    private static double peakRssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static List<Path> listImages(Path dir) {
        List<Path> out = new ArrayList<>();
        new ImageFiles(List.of(dir)).forEachRemaining(out::add);
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
