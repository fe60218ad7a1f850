package org.gammaiqa.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gammaiqa.text.Scene;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A training run as the original option files describe it ({@code unified_train.yml}, {@code unified_train_SDP.yml},
 * single-dataset files like {@code koniq.yml}). Keys the original accepts but that change nothing here (GPU count,
 * logger, TensorBoard, …) are accepted; any other unknown key is an error naming it.
 *
 * @param backbone      plain CLIP state dict to grow MoAE from ({@code network.backbone}); unused with {@code pretrained}
 * @param pretrained    Gamma checkpoint to start from ({@code path.pretrain_network_g}), or null
 * @param saveLatestFreq steps between {@code latest} checkpoints ({@code logger.save_latest_freq})
 * @param saveEpochWeights keep the weights of every epoch's end as {@code epoch-N.safetensors}
 *                      ({@code logger.save_epoch_weights}, default false), e.g. for weight averaging
 * @param scratch       random backbone of this architecture ({@code network.scratch}) instead of {@code network.backbone},
 *                      or null
 * @param trainable     the weights that train ({@code train.trainable}; default the released set, {@code experts})
 * @param rankLoss      the pairwise ranking term over series ({@code train.rank_loss_opt}), or null for MSE alone
 */
public record TrainConfig(String name, long seed, boolean useSdp, List<DatasetSpec> train, List<DatasetSpec> val,
                          int batchSize, boolean shuffle, int workers, Path backbone, int numExperts, int numFtLayer,
                          Path pretrained, double lr, int tMax, double etaMin, int totalEpochs, double lossWeight,
                          int valFreqEpoch, String keyMetric, List<String> metrics, int saveLatestFreq, boolean saveEpochWeights,
                          ScratchArchitecture scratch, Trainable trainable, RankLoss rankLoss) {
    public TrainConfig {
        train = List.copyOf(train);
        val = List.copyOf(val);
        metrics = List.copyOf(metrics);
    }

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
        boolean sdp = root.bool("use_SDP", false);

        ConfigNode datasets = root.node("datasets");
        ConfigNode loader = datasets.node("data_loader");
        List<DatasetSpec> train = new ArrayList<>();
        List<DatasetSpec> val = new ArrayList<>();
        Integer batch = null;
        Boolean shuffle = null;
        Integer workers = null;
        if (datasets.has("data_loader")) {
            batch = loader.integer("batch_size_per_gpu", 8);
            shuffle = loader.bool("use_shuffle", true);
            workers = loader.integer("num_worker_per_gpu", 4);
            enlargeRatio(loader);
            loader.ignore("prefetch_mode");
            loader.finish();
        }
        for (String key : List.copyOf(datasets.keys())) {
            if (key.equals("data_loader")) {
                continue;
            }
            if (!key.startsWith("train") && !key.startsWith("val")) {
                continue;  // reported as unknown by finish()
            }
            ConfigNode d = datasets.node(key);
            boolean isTrain = key.startsWith("train");
            // single-dataset files (koniq.yml) keep the loader options in the train entry
            int b = d.integer("batch_size_per_gpu", 8);
            boolean s = d.bool("use_shuffle", true);
            int w = d.integer("num_worker_per_gpu", 4);
            if (isTrain && batch == null) {
                batch = b;
                shuffle = s;
                workers = w;
            }
            enlargeRatio(d);
            d.ignore("prefetch_mode");
            DatasetSpec spec = dataset(key, d, base, sdp);
            if (spec != null) {
                (isTrain ? train : val).add(spec);
            }
            d.finish();
        }
        datasets.finish();
        if (train.isEmpty()) {
            problems.add("datasets: no train_* entry; expected at least one training dataset");
        }

        ConfigNode network = root.node("network");
        network.ignore("type", "model_type", "pretrained", "pos_embedding", "clip_finetune", "embedding_dim");
        int sample = network.integer("sample_size", 224);
        if (sample != 224) {
            network.problem("sample_size", "is " + sample + ", expected 224 (the crop size of the released recipe)");
        }
        Path backbone = path(base, network.string("backbone", null));
        int experts = network.integer("num_experts", 3);
        int ftLayers = network.integer("num_ft_layer", 6);
        ScratchArchitecture scratch = null;
        if (network.has("scratch")) {
            ConfigNode a = network.node("scratch");
            try {
                scratch = new ScratchArchitecture(a.integer("vision_width", 128), a.integer("vision_layers", 4),
                        a.integer("patch_size", 32), a.integer("text_width", 64), a.integer("text_layers", 2),
                        a.integer("context_length", 32), a.integer("embed_dim", 64));
            } catch (IllegalArgumentException e) {
                network.problem("scratch", e.getMessage());
            }
            a.finish();
            if (backbone != null) {
                network.problem("scratch", "is set together with network.backbone; expected one of them");
            }
        }
        network.finish();

        ConfigNode paths = root.node("path");
        paths.ignore("strict_load_g", "param_key_g");
        Path pretrained = path(base, paths.string("pretrain_network_g", null));
        if (paths.has("resume_state")) {
            paths.problem("resume_state", "is set; resume a run with `gamma train --resume DIR` instead");
        }
        paths.finish();
        if (backbone == null && pretrained == null && !network.has("scratch")) {
            problems.add("network.backbone, network.scratch and path.pretrain_network_g are all empty; expected a CLIP "
                    + "state dict to grow MoAE from, an architecture to start from random weights, or a Gamma checkpoint "
                    + "to fine-tune");
        }

        ConfigNode trainNode = root.node("train");
        ConfigNode optim = trainNode.node("optim");
        expect(optim, "type", "Adam");
        double lr = optim.number("lr", 2e-5);
        optim.ignore("lr_clip_model");  // only the experts, adapter and levels train; CLIP is frozen
        if (optim.number("weight_decay", 0) != 0) {
            optim.problem("weight_decay", "must be 0: the released recipe uses Adam without weight decay");
        }
        optim.finish();
        ConfigNode sched = trainNode.node("scheduler");
        expect(sched, "type", "CosineAnnealingLR");
        int totalEpochs = trainNode.integer("total_epoch", 10);
        int tMax = sched.integer("T_max", totalEpochs);
        double etaMin = sched.number("eta_min", 0);
        sched.finish();
        trainNode.ignore("total_iter");
        String trainableName = trainNode.string("trainable", Trainable.EXPERTS.id());
        Trainable trainable = Trainable.parse(trainableName);
        if (trainable == null) {
            trainNode.problem("trainable", "is '" + trainableName + "'; expected experts (the released recipe: adaptive "
                    + "experts, routers, scales, adapter, score_level), vision (the vision tower, adapter and score_level: "
                    + "for a model from scratch) or all (every weight)");
        }
        if (trainNode.number("warmup_iter", -1) > 0) {
            trainNode.problem("warmup_iter", "is positive; warm-up is not part of the released recipe (use -1)");
        }
        ConfigNode loss = trainNode.node("mos_loss_opt");
        expect(loss, "type", "MSELoss");
        double lossWeight = loss.number("loss_weight", 1.0);
        loss.finish();
        RankLoss rankLoss = null;
        if (trainNode.has("rank_loss_opt")) {
            ConfigNode rank = trainNode.node("rank_loss_opt");
            expect(rank, "type", "PairwiseRankLoss");
            try {
                rankLoss = new RankLoss(rank.number("loss_weight", 1.0), rank.number("temperature", 0.05),
                        rank.integer("series_per_batch", 10));
            } catch (IllegalArgumentException e) {
                trainNode.problem("rank_loss_opt", e.getMessage());
            }
            rank.finish();
        }
        trainNode.finish();

        ConfigNode valNode = root.node("val");
        valNode.ignore("val_type", "val_freq", "save_img", "pbar");
        int valFreq = valNode.integer("val_freq_epoch", 1);
        String key = valNode.string("key_metric", "srcc");
        if (!List.of("srcc", "plcc", "krcc").contains(key)) {
            valNode.problem("key_metric", "is '" + key + "'; expected srcc (the release), plcc or krcc: higher must be better");
        }
        List<String> metrics = new ArrayList<>();
        ConfigNode m = valNode.node("metrics");
        for (String metric : List.copyOf(m.keys())) {
            ConfigNode one = m.node(metric);
            String type = one.string("type", "calculate_" + metric);
            if (!type.equals("calculate_" + metric) || !List.of("srcc", "plcc", "krcc", "rmse").contains(metric)) {
                m.problem(metric, "type '" + type + "' is not supported; expected srcc, plcc, krcc or rmse with type calculate_<name>");
            }
            one.finish();
            metrics.add(metric);
        }
        m.finish();
        valNode.finish();

        ConfigNode logger = root.node("logger");
        logger.ignore("print_freq", "log_imgs_freq", "use_tb_logger", "wandb");
        int saveLatest = logger.integer("save_latest_freq", 10000);
        boolean saveEpochWeights = logger.bool("save_epoch_weights", false);
        logger.finish();
        root.finish();

        if (batch == null) {
            batch = 8;
            shuffle = true;
            workers = 4;
        }
        if (batch < 1) {
            problems.add("datasets.data_loader.batch_size_per_gpu: is " + batch + ", expected ≥ 1");
        }
        if (rankLoss != null && rankLoss.seriesPerBatch() > batch) {
            problems.add("train.rank_loss_opt.series_per_batch: is " + rankLoss.seriesPerBatch() + ", more than the batch size "
                    + batch + "; each series needs at least one place in the batch");
        }
        if (rankLoss != null && train.stream().noneMatch(d -> d.type() == DatasetType.GENERAL_FR)) {
            problems.add("train.rank_loss_opt: is set but no training dataset is a GeneralFRDataset; the ranking pairs "
                    + "come from series of one reference's distortions");
        }
        if (totalEpochs < 1 || tMax < 1 || !(lr > 0) || valFreq < 1 || saveLatest < 1) {
            problems.add("train.total_epoch, train.scheduler.T_max, val.val_freq_epoch and logger.save_latest_freq must be ≥ 1 "
                    + "and train.optim.lr > 0; got " + totalEpochs + ", " + tMax + ", " + valFreq + ", " + saveLatest + ", " + lr);
        }
        return new TrainConfig(name, seed, sdp, train, val, batch, shuffle, Math.max(1, workers), backbone, experts, ftLayers,
                pretrained, lr, Math.max(1, tMax), etaMin, totalEpochs, lossWeight, valFreq, key, metrics, saveLatest,
                saveEpochWeights, scratch, trainable, rankLoss);
    }

    private static DatasetSpec dataset(String key, ConfigNode d, Path base, boolean sdp) {
        d.ignore("img_range", "dataroot_ref");
        String name = d.string("name", key);
        String typeName = d.requiredString("type");
        DatasetType type = null;
        try {
            type = typeName == null ? null : DatasetType.parse(typeName);
        } catch (IllegalArgumentException e) {
            d.problem("type", e.getMessage());
        }
        String rootPath = d.requiredString("dataroot_target");
        Path meta = path(base, d.requiredString("meta_info_file"));
        Path split = path(base, d.string("split_file", null));
        int splitIndex = d.integer("split_index", 1);
        boolean normalize = d.bool("mos_normalize", false);
        boolean lower = d.bool("lower_better", false);
        double[] range = d.has("mos_range") || normalize ? d.range("mos_range") : new double[] {0, 1};
        if (range != null && !(range[1] > range[0])) {
            d.problem("mos_range", "is " + java.util.Arrays.toString(range) + ", expected low < high");
        }
        boolean nr = d.bool("nr_model", false);
        if (type == DatasetType.GENERAL_FR && !nr) {
            d.problem("nr_model", "must be true for GeneralFRDataset: Gamma is a no-reference model and uses the distorted image only");
        }
        Augment augment = Augment.NONE;
        if (d.has("augment")) {
            ConfigNode a = d.node("augment");
            augment = new Augment(a.bool("hflip", false), Math.max(0, a.integer("resize", 0)), Math.max(0, a.integer("random_crop", 0)));
            a.finish();
        }
        Scene scene = Scene.GENERIC;
        String explicit = d.string("scene", null);
        if (sdp) {
            try {
                Optional<Scene> s = explicit != null ? Optional.of(Scene.parse(explicit))
                        : rootPath == null ? Optional.of(Scene.GENERIC) : Scene.fromDatasetPath(rootPath);
                if (s.isEmpty()) {
                    d.problem("dataroot_target", "names no dataset the original's scene rule knows (koniq10k, "
                            + "ChallengeDB_release, kadid10k, databaserelease2, CSIQ, spaq, tid2013, agiqa3k, UWIQA, GFIQA-20k, "
                            + "aadb, ava); add `scene: natural|aigc|underwater|face|aesthetic` to this dataset");
                } else {
                    scene = s.get();
                }
            } catch (IllegalArgumentException e) {
                d.problem("scene", e.getMessage());
            }
        } else if (explicit != null) {
            d.problem("scene", "is set but use_SDP is false: the plain model scores every dataset with the generic prompts");
        }
        if (type == null || rootPath == null || meta == null || range == null) {
            return null;
        }
        return new DatasetSpec(key, name, type, path(base, rootPath), meta, split, splitIndex, range, lower, normalize, augment, scene);
    }

    /** pyiqa repeats a dataset {@code dataset_enlarge_ratio} times per epoch; only 1 (the release) is supported. */
    private static void enlargeRatio(ConfigNode n) {
        if (n.number("dataset_enlarge_ratio", 1) != 1) {
            n.problem("dataset_enlarge_ratio", "must be 1 (as released); repeat a dataset by listing it twice instead");
        }
    }

    private static void expect(ConfigNode n, String key, String value) {
        String v = n.string(key, value);
        if (!value.equals(v)) {
            n.problem(key, "is '" + v + "'; only '" + value + "' is supported (the released recipe)");
        }
    }

    private static Path path(Path base, String p) {
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
        if (pretrained != null && !Files.isRegularFile(pretrained)) {
            problems.add("path.pretrain_network_g: " + pretrained + " does not exist");
        } else if (pretrained == null && scratch == null && backbone != null && !Files.isRegularFile(backbone)) {
            problems.add("network.backbone: " + backbone + " does not exist");
        }
        List<DatasetSpec> all = new ArrayList<>(train);
        all.addAll(val);
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
                List<Sample> samples = d.load(train.contains(d) ? Phase.TRAIN : Phase.VAL);
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
