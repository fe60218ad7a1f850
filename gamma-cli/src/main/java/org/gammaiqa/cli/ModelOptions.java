package org.gammaiqa.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gammaiqa.scoring.GammaScorer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that load a model and say how it runs, shared by the commands that score. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Gamma checkpoint (.pth or .safetensors).")
    Path model;

    @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "CLIP vocabulary bpe_simple_vocab_16e6.txt.gz.")
    Path vocab;

    @Mixin
    RuntimeMixin runtime;

    GammaScorer load() throws IOException {
        return GammaScorer.load(model, vocab, runtime.runtime());
    }
}
