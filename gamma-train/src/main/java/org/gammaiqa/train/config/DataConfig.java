package org.gammaiqa.train.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gammaiqa.data.Augment;
import org.gammaiqa.data.DatasetSpec;
import org.gammaiqa.data.DatasetType;
import org.gammaiqa.text.Scene;

/**
 * The data of a run ({@code datasets}, and {@code use_SDP}): the training and validation datasets and the loader.
 *
 * @param useSdp    scene prompts per dataset ({@code use_SDP}); false: every dataset with the generic prompts
 * @param batchSize images per step ({@code batch_size_per_gpu})
 * @param workers   threads decoding ahead of the network ({@code num_worker_per_gpu})
 */
public record DataConfig(boolean useSdp, List<DatasetSpec> train, List<DatasetSpec> val, int batchSize, boolean shuffle,
                         int workers) {
    private static final int BATCH = 8;
    private static final int WORKERS = 4;

    public DataConfig {
        train = List.copyOf(train);
        val = List.copyOf(val);
    }

    /** Reads {@code datasets}; loader options come from {@code data_loader}, or from the first train entry (single-dataset files). */
    static DataConfig parse(ConfigNode root, Path base, List<String> problems) {
        boolean sdp = root.bool("use_SDP", false);
        ConfigNode datasets = root.node("datasets");
        ConfigNode loader = datasets.node("data_loader");
        List<DatasetSpec> train = new ArrayList<>();
        List<DatasetSpec> val = new ArrayList<>();
        Integer batch = null;
        Boolean shuffle = null;
        Integer workers = null;
        if (datasets.has("data_loader")) {
            batch = loader.integer("batch_size_per_gpu", BATCH);
            shuffle = loader.bool("use_shuffle", true);
            workers = loader.integer("num_worker_per_gpu", WORKERS);
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
            int b = d.integer("batch_size_per_gpu", BATCH);
            boolean s = d.bool("use_shuffle", true);
            int w = d.integer("num_worker_per_gpu", WORKERS);
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
        if (batch == null) {
            batch = BATCH;
            shuffle = true;
            workers = WORKERS;
        }
        if (batch < 1) {
            problems.add("datasets.data_loader.batch_size_per_gpu: is " + batch + ", expected ≥ 1");
        }
        return new DataConfig(sdp, train, val, batch, shuffle, Math.max(1, workers));
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
        Path meta = TrainConfig.path(base, d.requiredString("meta_info_file"));
        Path split = TrainConfig.path(base, d.string("split_file", null));
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
        return new DatasetSpec(key, name, type, TrainConfig.path(base, rootPath), meta, split, splitIndex, range, lower,
                normalize, augment, scene);
    }

    /** pyiqa repeats a dataset {@code dataset_enlarge_ratio} times per epoch; only 1 (the release) is supported. */
    private static void enlargeRatio(ConfigNode n) {
        if (n.number("dataset_enlarge_ratio", 1) != 1) {
            n.problem("dataset_enlarge_ratio", "must be 1 (as released); repeat a dataset by listing it twice instead");
        }
    }
}
