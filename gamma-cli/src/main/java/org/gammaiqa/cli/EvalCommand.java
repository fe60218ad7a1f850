package org.gammaiqa.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gammaiqa.data.DatasetSpec;
import org.gammaiqa.data.Phase;
import org.gammaiqa.eval.DatasetResult;
import org.gammaiqa.eval.EvalReport;
import org.gammaiqa.eval.Evaluator;
import org.gammaiqa.eval.ScatterPlot;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.train.config.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gamma eval}: the paper's test protocol on each dataset of an option file, with metrics and a baseline. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Score each dataset's test split (the config's val_* entries, or its train_* entries if it has none)",
                "with 10 seeded random crops per image and report SRCC, PLCC, KRCC, RMSE and a mean-MOS baseline.",
                "Exit status: 0 done, 2 bad config, data or model."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Gamma checkpoint (.pth or .safetensors).")
    Path model;

    @Option(names = "--vocab", paramLabel = "FILE", description = "CLIP vocabulary bpe_simple_vocab_16e6.txt.gz (not needed for a byte-level text tower).")
    Path vocab;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Option file naming the datasets.")
    Path config;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write a prediction-vs-MOS scatter PNG per dataset here.")
    Path plots;

    @Option(names = "--crops", defaultValue = "" + ScoringProtocol.CROPS, paramLabel = "N", description = "Random crops per image (default: ${DEFAULT-VALUE}).")
    int crops;

    @Option(names = "--seed", defaultValue = "" + ScoringProtocol.SEED, description = "Seed of the crop positions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", defaultValue = "test", paramLabel = "test|val", description = "Split list to score (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--base-dir", paramLabel = "DIR", description = "Folder relative paths in the config start from (default: the working directory).")
    Path baseDir;

    @Option(names = "--decode-threads", defaultValue = "" + ScoringProtocol.DECODE_THREADS, description = "Threads decoding images ahead of the network (default: ${DEFAULT-VALUE}).")
    int decodeThreads;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EvalReport.Format f = parseFormat(format);
        Phase phase = switch (split.strip().toLowerCase(Locale.ROOT)) {
            case "test" -> Phase.TEST;
            case "val" -> Phase.VAL;
            default -> throw new IllegalArgumentException("--split is '" + split + "'; expected test or val");
        };
        TrainConfig c = TrainConfig.load(config, baseDir != null ? baseDir : Path.of("").toAbsolutePath());
        List<DatasetSpec> datasets = c.data().val().isEmpty() ? c.data().train() : c.data().val();
        EvalReport report;
        try (GammaScorer scorer = GammaScorer.load(model, vocab)) {
            report = new Evaluator(scorer, crops, seed, decodeThreads).evaluate(datasets, phase);
        }
        spec.commandLine().getOut().print(report.format(f));
        spec.commandLine().getOut().flush();
        if (plots != null) {
            for (DatasetResult r : report.datasets()) {
                ScatterPlot.write(r, plots.resolve(r.dataset().replaceAll("[^A-Za-z0-9._-]", "_") + ".png"));
            }
        }
        return 0;
    }

    private static EvalReport.Format parseFormat(String s) {
        try {
            return EvalReport.Format.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format is '" + s + "'; expected table, csv or json");
        }
    }
}
