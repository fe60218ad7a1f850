package org.gammaiqa.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringPipeline;
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


    @Option(names = "--scene", defaultValue = "generic", paramLabel = "SCENE",
            description = "Prompt scene: generic, natural, aigc, underwater, face, aesthetic (default: ${DEFAULT-VALUE}).")
    String scene;

    @Option(names = "--prompts", paramLabel = "FILE", description = "Custom level prompts: five lines, bad → perfect (overrides --scene).")
    Path prompts;

    @Option(names = "--crops", defaultValue = "10", paramLabel = "N|center|five",
            description = "N seeded random 224×224 crops averaged, or 'center', or 'five' (default: ${DEFAULT-VALUE}).")
    String crops;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random crops (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|jsonl", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write results here instead of standard output.")
    Path out;

    @Option(names = "--batch", defaultValue = "4", description = "Images whose crops share forward passes (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--decode-threads", defaultValue = "2", description = "Threads decoding images ahead of the network (default: ${DEFAULT-VALUE}).")
    int decodeThreads;

    @Option(names = "--max-pixels", defaultValue = "178956970", description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--exif-orientation", description = "Apply EXIF orientation (the original does not; off for parity).")
    boolean exifOrientation;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or directories.")
    List<Path> paths;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PromptSet promptSet = prompts != null ? PromptSet.fromFile(prompts) : Scene.parse(scene).prompts();
        ScoringOptions options = new ScoringOptions(promptSet, CropPolicy.parse(crops), seed);
        ImageDecoder decoder = new ImageDecoder(new ImageDecoder.DecodeOptions(maxPixels, exifOrientation));
        try (GammaScorer scorer = modelOptions.load();
             ResultWriter writer = ResultWriter.of(format, output())) {
            ScoringPipeline pipeline = new ScoringPipeline(scorer, decoder, options, decodeThreads, batch);
            ScoringPipeline.Summary summary = pipeline.run(new ImageFiles(paths), o -> {
                if (o.failed()) {
                    writer.writeError(o.path().toString(), promptSet.name(), o.error());
                } else {
                    writer.write(o.path().toString(), o.result());
                }
            });
            if (summary.failed() > 0) {
                spec.commandLine().getErr().printf("gamma: %d of %d images failed (see their error lines)%n",
                        summary.failed(), summary.failed() + summary.scored());
                return 1;
            }
            return 0;
        }
    }

    private Appendable output() throws java.io.IOException {
        if (out == null) {
            return new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false) {
                @Override
                public void close() {
                    flush();
                }
            };
        }
        BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        return w;
    }
}
