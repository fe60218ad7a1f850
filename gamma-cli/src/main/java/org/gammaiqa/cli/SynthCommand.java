package org.gammaiqa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.gammaiqa.synth.Distortion;
import org.gammaiqa.synth.Procedural;
import org.gammaiqa.synth.SynthDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gamma synth}: a KADID-style synthetic-distortion dataset that {@code gamma train} reads directly. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a KADID-style dataset: references, every distortion at increasing levels, and a pyiqa",
                "meta-info CSV (ref, dist, mos, type, level, split) that gamma train reads as a GeneralFRDataset.",
                "Without --refs, procedural dead-leaves images are drawn as references. Deterministic given --seed.",
                "Exit status: 0 done, 2 bad option or unreadable reference."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--refs", paramLabel = "DIR", description = "Folder of reference images (default: draw --count images of --style).")
    Path refs;

    @Option(names = "--style", defaultValue = "scenes", paramLabel = "S", completionCandidates = Styles.class,
            description = "Procedural references without --refs: scenes (photo-like dead leaves: smooth areas, textures, "
                    + "depth of field) or leaves (classic dense dead leaves) (default: ${DEFAULT-VALUE}).")
    String style;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--types", split = ",", paramLabel = "T", completionCandidates = DistortionIds.class, description = "Distortions (default: all): ${COMPLETION-CANDIDATES}.")
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

    /** The procedural styles' names, for the help text. */
    static final class Styles implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Procedural.values()).map(Procedural::id).iterator();
        }
    }

    /** The distortion names, for the help text. */
    static final class DistortionIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Distortion.values()).map(Distortion::id).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Distortion> chosen = types == null ? Arrays.asList(Distortion.values())
                : types.stream().map(Distortion::parse).toList();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = Progress.stderrIsTerminal();
        int rows = SynthDataset.write(new SynthDataset.Options(refs, Procedural.parse(style), out, chosen, levels, count, size, seed), threads, (done, total) -> {
            if (terminal) {
                err.printf("\rgamma synth: %d/%d references", done, total);
                err.flush();
            }
        });
        err.printf("%sgamma synth: %d images listed in %s%n", terminal ? System.lineSeparator() : "", rows,
                out.resolve(SynthDataset.META_INFO));
        return 0;
    }
}
