package org.gammaiqa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gammaiqa.eval.EvalReport;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.train.TrainState;
import org.gammaiqa.train.Trainer;
import org.gammaiqa.train.TrainingListener;
import org.gammaiqa.train.config.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gamma train}: unified training or fine-tuning from an original option file, with a progress bar. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train Gamma (MoAE + scene prompts) from an original option file (unified_train_SDP.yml shape).",
                "Writes latest/best checkpoints (.pth and .safetensors), optimizer state and metrics.jsonl to --out.",
                "Exit status: 0 done, 2 bad config, data or model."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Option file (YAML), e.g. unified_train_SDP.yml.")
    Path config;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP vocabulary bpe_simple_vocab_16e6.txt.gz (not needed for a byte-level text tower, network.scratch).")
    Path vocab;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: experiments/<name> under --base-dir).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR exactly where it stopped (weights, Adam moments, step, lr, data order).")
    Path resume;

    @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N", description = "Stop after N steps in total (default: all epochs).")
    long maxSteps;

    @Option(names = "--base-dir", paramLabel = "DIR", description = "Folder relative paths in the config start from (default: the working directory, as the original).")
    Path baseDir;

    @Option(names = "--eval-crops", defaultValue = "" + ScoringProtocol.CROPS, paramLabel = "N", description = "Random crops per image in validation (default: ${DEFAULT-VALUE}, the paper's protocol).")
    int evalCrops;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: all cores).")
    Integer threads;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        Path base = baseDir != null ? baseDir : Path.of("").toAbsolutePath();
        TrainConfig c = TrainConfig.load(config, base);
        Path dir = resume != null ? resume : out != null ? out : base.resolve("experiments").resolve(c.name());
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        TrainState end = new Trainer(c, vocab, new Trainer.Options(dir, resume != null, maxSteps, evalCrops), new Progress(err, stdout)).run();
        err.println();
        err.printf(Locale.ROOT, "gamma train: stopped at step %d (epoch %d); checkpoints in %s%n", end.step(), end.epoch(), dir);
        return 0;
    }

    /** A one-line progress bar on standard error; validation tables on standard output. */
    private static final class Progress implements TrainingListener {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final PrintWriter out;

        Progress(PrintWriter err, PrintWriter out) {
            this.err = err;
            this.out = out;
        }

        @Override
        public void started(long firstStep, long totalSteps, int images) {
            err.printf(Locale.ROOT, "gamma train: %d training images, steps %d → %d%n", images, firstStep, totalSteps);
        }

        @Override
        public void step(StepReport r) {
            int filled = (int) (WIDTH * r.step() / Math.max(1, r.totalSteps()));
            err.printf(Locale.ROOT, "\r[%s%s] %d/%d ep %d loss %.5f lr %.2e %.1f img/s ETA %s ",
                    "=".repeat(filled), " ".repeat(WIDTH - filled), r.step(), r.totalSteps(), r.epoch() + 1, r.loss(), r.lr(),
                    r.imagesPerSecond(), duration(r.etaSeconds()));
            err.flush();
        }

        @Override
        public void validated(int epoch, long step, EvalReport report, boolean best) {
            err.println();
            out.printf(Locale.ROOT, "validation after epoch %d (step %d)%s%n%s", epoch + 1, step, best ? " — new best" : "", report.table());
            out.flush();
        }

        private static String duration(double seconds) {
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
    }
}
