package org.gammaiqa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.SafetensorsWriter;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.checkpoint.WeightAverage;
import org.gammaiqa.model.CheckpointLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gamma export}: a Gamma checkpoint rewritten as safetensors, optionally with float16 storage; several are
 * written as their element-wise mean ({@link WeightAverage}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Rewrite a Gamma checkpoint (.pth or .safetensors) as safetensors, checked against its derived",
                "architecture; --half stores floating-point tensors as float16 (half the size; the loader widens them).",
                "Several --model files of one architecture (e.g. a run's epoch-N.safetensors) are written as their",
                "element-wise mean: weight averaging.",
                "Exit status: 0 done, 2 unreadable, not a Gamma checkpoint, or checkpoints to average that differ."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Gamma checkpoint to read; several: their mean.")
    List<Path> models;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "safetensors file to write.")
    Path out;

    @Option(names = "--half", description = "Store floating-point tensors as float16.")
    boolean half;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StateDict sd = models.size() == 1 ? CheckpointReader.read(models.get(0)) : WeightAverage.of(models);
        CheckpointLayout.verify(sd, CheckpointLayout.derive(sd));
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            StoredTensor t = sd.get(key);
            tensors.put(key, half && t.dtype().isFloatingPoint() ? t.toHalf() : t);
        }
        SafetensorsWriter.write(out, new StateDict(tensors));
        spec.commandLine().getErr().printf(Locale.ROOT, "gamma export: wrote %s (%.1f MB%s)%n", out, Files.size(out) / 1e6,
                models.size() == 1 ? "" : ", the mean of " + models.size() + " checkpoints");
        return 0;
    }
}
