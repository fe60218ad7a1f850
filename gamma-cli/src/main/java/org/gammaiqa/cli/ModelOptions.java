package org.gammaiqa.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gammaiqa.scoring.DemoModel;
import org.gammaiqa.scoring.GammaScorer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that load a model and say how it runs, shared by the commands that score. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE", description = "Gamma checkpoint (.pth or .safetensors); default: the "
            + "built-in demo model (small, trained on synthetic distortions; not the paper's weights).")
    Path model;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP vocabulary bpe_simple_vocab_16e6.txt.gz "
            + "(not needed for the demo model or other byte-level text towers).")
    Path vocab;

    @Mixin
    RuntimeMixin runtime;

    GammaScorer load() throws IOException {
        return model == null ? DemoModel.load(runtime.runtime()) : GammaScorer.load(model, vocab, runtime.runtime());
    }

    /** What the model is called in messages: its file, or the demo model's name. */
    String describe() {
        return model == null ? DemoModel.NAME : model.toString();
    }

    /** The notice printed wherever the demo model scores, so no one mistakes its scores for the paper's. */
    static String demoNotice() {
        return "gamma: no --model given: scoring with the built-in demo model '" + DemoModel.NAME + "' (small, trained on "
                + "synthetic distortions; not the paper's weights; for those see README, \"Where the weights come from\")";
    }
}
