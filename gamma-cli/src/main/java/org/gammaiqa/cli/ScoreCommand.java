package org.gammaiqa.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.map.WindowGrid;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringPipeline;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.PromptSet;
import org.gammaiqa.text.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gamma score}: scores image files and directories, one output line per image. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score images (files, or directories walked recursively) with a Gamma checkpoint.",
                "Exit status: 0 all scored, 1 some images failed (each has an error line), 2 bad usage or model."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;


    @Option(names = "--scene", defaultValue = ScoringProtocol.SCENE, paramLabel = "SCENE",
            description = "Prompt scene: generic, natural, aigc, underwater, face, aesthetic (default: ${DEFAULT-VALUE}).")
    String scene;

    @Option(names = "--prompts", paramLabel = "FILE", description = "Custom level prompts: five lines, bad → perfect (overrides --scene).")
    Path prompts;

    @Option(names = "--crops", defaultValue = "" + ScoringProtocol.CROPS, paramLabel = "N|center|five",
            description = "N seeded random " + ScoringProtocol.CROP_SIZE + "×" + ScoringProtocol.CROP_SIZE + " crops averaged, or 'center', or 'five' (default: ${DEFAULT-VALUE}).")
    String crops;

    @Option(names = "--seed", defaultValue = "" + ScoringProtocol.SEED, description = "Seed of the random crops (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|jsonl", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write results here instead of standard output.")
    Path out;

    @Option(names = "--batch", defaultValue = "" + ScoringProtocol.BATCH, description = "Images whose crops share forward passes (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--decode-threads", defaultValue = "" + ScoringProtocol.DECODE_THREADS, description = "Threads decoding images ahead of the network (default: ${DEFAULT-VALUE}).")
    int decodeThreads;

    @Option(names = "--max-pixels", defaultValue = "" + ScoringProtocol.MAX_PIXELS, description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--exif-orientation", description = "Apply EXIF orientation (the original does not; off for parity).")
    boolean exifOrientation;

    @Option(names = "--resume", description = "Continue an interrupted run: skip the images already in --out and append the rest"
            + " (a line torn by the interruption is cut off first). Give the same paths as the first run.")
    boolean resume;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write a self-contained HTML page: score histogram,"
            + " thumbnails sorted by score, failures with their errors.")
    Path report;

    @Option(names = "--report-maps", description = "With --report: also draw each scored image's quality map in it (as gamma map"
            + " does, stride " + WindowGrid.DEFAULT_STRIDE + "), worst image first; costs one forward pass per window, about 25 more"
            + " for a 672×672 image.")
    boolean reportMaps;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "Progress bar with images/s and ETA on standard error; auto: only when it is a terminal (default: ${DEFAULT-VALUE}).")
    String progress;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or directories.")
    List<Path> paths;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PromptSet promptSet = prompts != null ? PromptSet.fromFile(prompts) : Scene.parse(scene).prompts();
        ScoringOptions options = new ScoringOptions(promptSet, CropPolicy.parse(crops), seed);
        ImageDecoder decoder = new ImageDecoder(new ImageDecoder.DecodeOptions(maxPixels, exifOrientation));
        PrintWriter err = spec.commandLine().getErr();
        boolean showProgress = switch (progress) {
            case "auto" -> Progress.stderrIsTerminal();
            case "always" -> true;
            case "never" -> false;
            default -> throw new IllegalArgumentException("--progress '" + progress + "' is not auto, always or never");
        };
        if (reportMaps && report == null) {
            throw new IllegalArgumentException("--report-maps needs --report FILE: the maps are drawn in that report");
        }
        if (resume && out == null) {
            throw new IllegalArgumentException("--resume needs --out FILE: it skips the images already in that file");
        }
        PreviousRun previous = resume ? PreviousRun.read(out, format) : PreviousRun.none();
        if (previous.tornBytes() > 0) {
            err.printf("gamma: cut off a torn last line (%d bytes) of %s, left by an interrupted run%n", previous.tornBytes(), out);
        }
        Set<String> skip = previous.paths();
        if (resume) {
            err.printf("gamma: resuming: %d images already in %s are skipped%n", skip.size(), out);
        }
        boolean continuing = resume && Files.exists(out) && Files.size(out) > 0;
        List<ResultWriter.Row> reportRows = report != null ? new ArrayList<>(previous.rows()) : null;
        Progress bar = showProgress ? Progress.start(err, new ImageFiles(paths, skip)) : null;
        long[] counts = new long[2]; // scored, failed
        try (GammaScorer scorer = modelOptions.load();
             ResultWriter writer = ResultWriter.of(format, output(continuing), continuing,
                     scorer.source().isDemo() ? scorer.source().name() : null)) {
            if (scorer.source().isDemo()) {
                err.println(ModelOptions.demoNotice());
            }
            ScoringPipeline pipeline = new ScoringPipeline(scorer, decoder, options, decodeThreads, batch);
            ScoringPipeline.Summary summary = pipeline.run(new ImageFiles(paths, skip), o -> {
                if (o.failed()) {
                    writer.writeError(o.path().toString(), promptSet.name(), o.error());
                    counts[1]++;
                } else {
                    writer.write(o.path().toString(), o.result());
                    counts[0]++;
                }
                if (reportRows != null) {
                    reportRows.add(new ResultWriter.Row(o.path().toString(), o.failed() ? Double.NaN : o.result().score(), o.error()));
                }
                if (bar != null) {
                    bar.update(counts[0] + counts[1], counts[1]);
                }
            });
            if (bar != null) {
                bar.finish(counts[0] + counts[1], counts[1]);
            }
            if (report != null) {
                HtmlReport.write(report, reportRows, "gamma score: " + promptSet.name() + " prompts, "
                        + modelOptions.describe(), reportMaps
                        ? new HtmlReport.Maps(new QualityMapper(scorer), decoder, options, scorer.source().name()) : null);
                err.printf("gamma: wrote the report %s%n", report);
            }
            if (summary.failed() > 0) {
                err.printf("gamma: %d of %d images failed (see their error lines)%n",
                        summary.failed(), summary.failed() + summary.scored());
                return 1;
            }
            return 0;
        }
    }

    private Appendable output(boolean append) throws java.io.IOException {
        if (out == null) {
            return new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false) {
                @Override
                public void close() {
                    flush();
                }
            };
        }
        return append
                ? Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }
}
