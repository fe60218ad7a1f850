package org.gammaiqa.cli;

import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.scoring.ScoringProtocol;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the network: device, precision, threads, crops per pass. */
final class RuntimeMixin {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu[:N]",
            description = "Where the network runs; gpu needs a CUDA libtorch (see README) (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16|bf16",
            description = "fp32 reproduces the reference; fp16 is faster on GPUs, scores within 5e-3; bf16 is faster on "
                    + "CPUs with bfloat16 instructions, scores within 2e-2 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: all cores).")
    Integer threads;

    @Option(names = "--crops-per-pass", defaultValue = "" + ScoringProtocol.CROPS_PER_PASS, paramLabel = "N",
            description = "Most crops in one forward pass; bounds memory (default: ${DEFAULT-VALUE}).")
    int cropsPerPass;

    /** The runtime these options describe; sets libtorch's thread count before the engine starts. */
    RuntimeOptions runtime() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        return new RuntimeOptions(RuntimeOptions.parseDevice(device), cropsPerPass, RuntimeOptions.parsePrecision(precision));
    }
}
