package org.gammaiqa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.MapRenderer;
import org.gammaiqa.map.QualityMap;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.map.WindowGrid;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gamma map}: where an image is bad, as a grid of window scores drawn over it (PNG) and listed (JSON). */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = {"Score a grid of " + ScoringProtocol.CROP_SIZE + "×" + ScoringProtocol.CROP_SIZE + " windows of each image and write NAME.map.png (the scores over the image,"
                + " with a legend) and NAME.map.json (the windows' boxes and scores, and the image's usual score).",
                "Exit status: 0 all mapped, 1 some images failed (each has an error line), 2 bad usage or model."})
final class MapCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--scene", defaultValue = ScoringProtocol.SCENE, paramLabel = "SCENE",
            description = "Prompt scene: generic, natural, aigc, underwater, face, aesthetic (default: ${DEFAULT-VALUE}).")
    String scene;

    @Option(names = "--stride", defaultValue = "" + WindowGrid.DEFAULT_STRIDE, paramLabel = "PX",
            description = "Step between windows, " + WindowGrid.MIN_STRIDE + " to " + WindowGrid.MAX_STRIDE
                    + " pixels; the last window of a row or column is flush with the border (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "Folder for the maps (default: the current one).")
    Path out;

    @Option(names = "--size", defaultValue = "" + MapRenderer.DEFAULT_MAX_SIDE, paramLabel = "PX",
            description = "Long side of the image in the PNG; larger images are shrunk (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--max-pixels", defaultValue = "" + ScoringProtocol.MAX_PIXELS, description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files, or directories walked recursively.")
    List<Path> paths;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ScoringOptions options = ScoringOptions.defaults().withPrompts(Scene.parse(scene).prompts());
        WindowGrid.checkStride(stride);
        if (size < 1) {
            throw new IllegalArgumentException("--size " + size + " is not a positive number of pixels");
        }
        ImageDecoder decoder = new ImageDecoder(new ImageDecoder.DecodeOptions(maxPixels, false));
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Files.createDirectories(out);
        Map<String, Path> written = new HashMap<>();
        int failed = 0;
        int mapped = 0;
        try (GammaScorer scorer = modelOptions.load()) {
            if (scorer.source().isDemo()) {
                err.println(ModelOptions.demoNotice());
            }
            QualityMapper mapper = new QualityMapper(scorer);
            for (ImageFiles files = new ImageFiles(paths); files.hasNext(); ) {
                Path file = files.next();
                try {
                    String base = baseName(file);
                    Path earlier = written.putIfAbsent(base, file);
                    if (earlier != null) {
                        throw new IllegalArgumentException("its map would overwrite that of " + earlier
                                + " (same file name); map it in another run with another --out");
                    }
                    long start = System.nanoTime();
                    RgbImage image = decoder.decode(file);
                    QualityMap map = mapper.map(image, options, stride);
                    double elapsedMs = (System.nanoTime() - start) / 1e6;
                    Path png = out.resolve(base + ".map.png");
                    Path json = out.resolve(base + ".map.json");
                    Files.write(png, MapRenderer.png(map, image, scorer.source().name(), size));
                    JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(),
                            map.toJson(file.getFileName().toString(), scorer.source(), elapsedMs));
                    stdout.printf(Locale.ROOT, "%s: score %.4f, %d×%d windows %.4f–%.4f, %s, %s (%.0f ms)%n", file,
                            map.whole().score(), map.rows(), map.cols(), map.min(), map.max(), png, json, elapsedMs);
                    stdout.flush();
                    mapped++;
                } catch (IOException | RuntimeException e) {
                    err.printf("gamma: %s: %s%n", file, e.getMessage() != null ? e.getMessage() : e.toString());
                    failed++;
                }
            }
        }
        if (failed > 0) {
            err.printf("gamma: %d of %d images failed%n", failed, failed + mapped);
            return 1;
        }
        return 0;
    }

    /** The file name without its extension. */
    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
