package org.gammaiqa.train.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gammaiqa.data.ConfigException;
import org.gammaiqa.data.DatasetSpec;
import org.gammaiqa.data.DatasetType;
import org.gammaiqa.data.Phase;
import org.gammaiqa.data.Sample;
import org.gammaiqa.train.RankLoss;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A training run as the original option files describe it ({@code unified_train.yml}, {@code unified_train_SDP.yml},
 * single-dataset files like {@code koniq.yml}), in groups each read by its own record's {@code parse}. Keys the
 * original accepts but that change nothing here (GPU count, logger, TensorBoard, …) are accepted; any other unknown
 * key is an error naming it by its path.
 */
public record TrainConfig(String name, long seed, DataConfig data, ModelConfig model, OptimiserConfig optimiser,
                          ScheduleConfig schedule, ValidationConfig validation, LoggingConfig logging) {
    /**
     * Reads an option file; relative paths in it are resolved against {@code baseDir} (the original resolves them
     * against its working directory, the repository root).
     *
     * @throws ConfigException listing every unknown key and bad value, each by its path
     */
    public static TrainConfig load(Path file, Path baseDir) throws IOException {
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (YAMLException e) {
            throw new ConfigException(file + " is not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigException(file + " holds " + ConfigNode.describe(doc) + ", expected a mapping of options");
        }
        List<String> problems = ConfigNode.newProblems();
        TrainConfig c = parse(new ConfigNode("", map, problems), baseDir, problems);
        if (!problems.isEmpty()) {
            throw ConfigException.of(file.toString(), problems);
        }
        return c;
    }

    private static TrainConfig parse(ConfigNode root, Path base, List<String> problems) {
        root.ignore("model_type", "num_gpu", "multi_dataset", "experiments_save_dir", "dist_params", "find_unused_parameters");
        String name = root.string("name", "gamma");
        long seed = (long) root.number("manual_seed", 0);
        DataConfig data = DataConfig.parse(root, base, problems);
        ModelConfig model = ModelConfig.parse(root, base, problems);
        ConfigNode train = root.node("train");
        OptimiserConfig optimiser = OptimiserConfig.parse(train);
        ScheduleConfig schedule = ScheduleConfig.parse(train);
        train.finish();
        ValidationConfig validation = ValidationConfig.parse(root);
        LoggingConfig logging = LoggingConfig.parse(root);
        root.finish();

        RankLoss rankLoss = optimiser.rankLoss();
        if (rankLoss != null && rankLoss.seriesPerBatch() > data.batchSize()) {
            problems.add("train.rank_loss_opt.series_per_batch: is " + rankLoss.seriesPerBatch() + ", more than the batch size "
                    + data.batchSize() + "; each series needs at least one place in the batch");
        }
        if (rankLoss != null && data.train().stream().noneMatch(d -> d.type() == DatasetType.GENERAL_FR)) {
            problems.add("train.rank_loss_opt: is set but no training dataset is a GeneralFRDataset; the ranking pairs "
                    + "come from series of one reference's distortions");
        }
        int totalEpochs = schedule.totalEpochs();
        if (totalEpochs < 1 || schedule.tMax() < 1 || !(optimiser.lr() > 0) || validation.valFreqEpoch() < 1
                || logging.saveLatestFreq() < 1) {
            problems.add("train.total_epoch, train.scheduler.T_max, val.val_freq_epoch and logger.save_latest_freq must be ≥ 1 "
                    + "and train.optim.lr > 0; got " + totalEpochs + ", " + schedule.tMax() + ", " + validation.valFreqEpoch()
                    + ", " + logging.saveLatestFreq() + ", " + optimiser.lr());
        }
        return new TrainConfig(name, seed, data, model, optimiser,
                new ScheduleConfig(totalEpochs, Math.max(1, schedule.tMax()), schedule.etaMin()), validation, logging);
    }

    static void expect(ConfigNode n, String key, String value) {
        String v = n.string(key, value);
        if (!value.equals(v)) {
            n.problem(key, "is '" + v + "'; only '" + value + "' is supported (the released recipe)");
        }
    }

    static Path path(Path base, String p) {
        if (p == null || p.isEmpty() || p.equals("~")) {
            return null;
        }
        return base.resolve(p).normalize();
    }

    /**
     * Checks, before any training, that every dataset's files exist and its split loads; reports each dataset's
     * missing files with how many of its images are missing.
     *
     * @throws ConfigException naming every missing folder, file and the count of missing images per dataset
     */
    public void checkFiles() throws ConfigException {
        List<String> problems = new ArrayList<>();
        Path pretrained = model.pretrained();
        Path backbone = model.backbone();
        if (pretrained != null && !Files.isRegularFile(pretrained)) {
            problems.add("path.pretrain_network_g: " + pretrained + " does not exist");
        } else if (pretrained == null && model.scratch() == null && backbone != null && !Files.isRegularFile(backbone)) {
            problems.add("network.backbone: " + backbone + " does not exist");
        }
        List<DatasetSpec> all = new ArrayList<>(data.train());
        all.addAll(data.val());
        for (DatasetSpec d : all) {
            String where = "datasets." + d.key() + " (" + d.name() + "): ";
            if (!Files.isDirectory(d.root())) {
                problems.add(where + "dataroot_target " + d.root() + " is not a folder");
            }
            if (!Files.isRegularFile(d.metaInfo())) {
                problems.add(where + "meta_info_file " + d.metaInfo() + " does not exist");
            }
            if (d.splitFile() != null && !Files.isRegularFile(d.splitFile())) {
                problems.add(where + "split_file " + d.splitFile() + " does not exist");
            }
            if (!Files.isDirectory(d.root()) || !Files.isRegularFile(d.metaInfo())
                    || (d.splitFile() != null && !Files.isRegularFile(d.splitFile()))) {
                continue;
            }
            try {
                List<Sample> samples = d.load(data.train().contains(d) ? Phase.TRAIN : Phase.VAL);
                List<Sample> missing = d.missing(samples);
                if (!missing.isEmpty()) {
                    problems.add(where + missing.size() + " of " + samples.size() + " images missing under " + d.root()
                            + ", e.g. " + missing.get(0).image());
                }
            } catch (IOException e) {
                problems.add(where + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw ConfigException.of("training data is incomplete", problems);
        }
    }
}
