package org.gammaiqa.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.gammaiqa.scoring.GammaScorer;
import picocli.CommandLine.Option;

/** The options that load a model, shared by the commands that score. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Gamma checkpoint (.pth or .safetensors).")
    Path model;

    @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "CLIP vocabulary bpe_simple_vocab_16e6.txt.gz.")
    Path vocab;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: all cores).")
    Integer threads;

    GammaScorer load() throws IOException {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        return GammaScorer.load(model, vocab);
    }
}
