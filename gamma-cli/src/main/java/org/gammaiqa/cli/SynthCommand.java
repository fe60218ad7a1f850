package org.gammaiqa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.gammaiqa.synth.Distortion;
import org.gammaiqa.synth.SynthDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gamma synth}: a KADID-style synthetic-distortion dataset that {@code gamma train} reads directly. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a KADID-style dataset: references, every distortion at increasing levels, and a pyiqa",
                "meta-info CSV (ref, dist, mos, type, level, split) that gamma train reads as a GeneralFRDataset.",
                "Without --refs, dead-leaves images are drawn as references. Deterministic given --seed.",
                "Exit status: 0 done, 2 bad option or unreadable reference."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--refs", paramLabel = "DIR", description = "Folder of reference images (default: draw --count dead-leaves images).")
    Path refs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--types", split = ",", paramLabel = "T", description = "Distortions (default: all): ${COMPLETION-CANDIDATES}.")
    List<String> types;

    @Option(names = "--levels", defaultValue = "5", paramLabel = "N", description = "Levels per distortion (default: ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--count", defaultValue = "100", paramLabel = "N", description = "Procedural references without --refs (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Short side of the references (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of references and distortions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "References generated in parallel (default: ${DEFAULT-VALUE}); the output is the same.")
    int threads;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Distortion> chosen = types == null ? Arrays.asList(Distortion.values())
                : types.stream().map(Distortion::parse).toList();
        PrintWriter err = spec.commandLine().getErr();
        int rows = SynthDataset.write(new SynthDataset.Options(refs, out, chosen, levels, count, size, seed), threads, (done, total) -> {
            err.printf("\rgamma synth: %d/%d references", done, total);
            err.flush();
        });
        err.printf("%ngamma synth: %d images listed in %s%n", rows, out.resolve(SynthDataset.META_INFO));
        return 0;
    }
}
