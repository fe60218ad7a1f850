package com.example;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.text.Scene;

/**
 * The README's library code as a program: {@code ScoreImages [--model M --vocab V] [--scene S] IMAGE...} prints one
 * line per image: its path, score, model name and the model's SHA-256. Without {@code --model} it uses the demo model.
 */
public final class ScoreImages {
    private ScoreImages() {}

    public static void main(String[] args) throws IOException {
        Path model = null;
        Path vocab = null;
        Scene scene = Scene.GENERIC;
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]);
                case "--vocab" -> vocab = Path.of(args[++i]);
                case "--scene" -> scene = Scene.parse(args[++i]);
                default -> images.add(Path.of(args[i]));
            }
        }
        for (ScoreResult r : score(model, vocab, scene, images)) {
            System.out.println(r.score() + " " + r.model() + " " + r.modelSha256());
        }
    }

    /** Scores the images with a checkpoint (or, when it is null, the demo model); results in input order. */
    public static List<ScoreResult> score(Path checkpoint, Path vocabulary, Scene scene, List<Path> images) throws IOException {
        List<ScoreResult> results = new ArrayList<>();
        try (GammaScorer gamma = checkpoint == null ? DemoModel.load(RuntimeOptions.defaults())
                : GammaScorer.load(checkpoint, vocabulary)) {
            ScoringOptions options = ScoringOptions.defaults().withPrompts(scene.prompts());
            for (Path image : images) {
                results.add(gamma.score(image, options));
            }
        }
        return results;
    }
}
