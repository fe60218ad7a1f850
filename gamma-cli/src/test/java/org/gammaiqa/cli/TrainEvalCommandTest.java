package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.testing.StandIns;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The released unified_train_SDP.yml, edited only in its absolute data paths, pointed at small stand-in datasets
 * with the same folder and file names (generated from the config itself): `gamma train` parses it and trains,
 * `gamma eval` scores every test split and draws the plots.
 */
class TrainEvalCommandTest {
    private static final String UPSTREAM_ROOT = "/home/zht/zht/iqa_iaa_data";

    @TempDir
    Path dir;

    @Test
    void upstreamConfigTrainsAndEvaluates() throws Exception {
        Path config = upstreamConfigOnStandIns();

        Path vocab = TestAssets.vocabulary();
        ScoreCommandTest.Run train = ScoreCommandTest.gamma("train", "--config", config.toString(), "--vocab", vocab.toString(),
                "--base-dir", dir.toString(), "--out", dir.resolve("run").toString(), "--max-steps", "2");
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.err()).contains("48 training images").contains("2/2");
        assertThat(CheckpointReader.read(dir.resolve("run/latest.pth")).keys())
                .contains("clip_model.visual.transformer.resblocks.0.mlp.experts.expert_2.c_fc.weight");
        assertThat(dir.resolve("run/latest.safetensors")).exists();

        ScoreCommandTest.Run eval = ScoreCommandTest.gamma("eval", "--model", dir.resolve("run/latest.pth").toString(),
                "--vocab", vocab.toString(), "--config", config.toString(), "--base-dir", dir.toString(),
                "--format", "json", "--plots", dir.resolve("plots").toString(), "--crops", "2");
        assertThat(eval.exit()).as(eval.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(eval.out());
        assertThat(report.get("datasets")).hasSize(12);
        for (JsonNode d : report.get("datasets")) {
            assertThat(d.get("n").asInt()).isEqualTo(2);
            assertThat(d.get("rmse").asDouble()).isFinite();
            assertThat(d.get("baseline_mean_mos").get("srcc").isNull()).isTrue();
        }
        assertThat(report.get("datasets").get(11).get("scene").asText()).isEqualTo("aesthetic");
        try (var pngs = Files.list(dir.resolve("plots"))) {
            assertThat(pngs.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(12);
        }
    }

    @Test
    void missingImagesAreCountedBeforeTraining() throws Exception {
        Path config = upstreamConfigOnStandIns();
        Files.delete(dir.resolve("data/koniq10k/512x384/img_0.png"));
        ScoreCommandTest.Run train = ScoreCommandTest.gamma("train", "--config", config.toString(), "--vocab",
                TestAssets.vocabulary().toString(), "--base-dir", dir.toString(), "--out", dir.resolve("run").toString());
        assertThat(train.exit()).isEqualTo(2);
        assertThat(train.err()).contains("datasets.train_1 (KonIQ10k): 1 of 4 images missing");
        assertThat(dir.resolve("run/latest.pth")).doesNotExist();
    }

    /** Six images per dataset in the config's folders, its CSV columns and a split file: train 0–3, val = test 4–5. */
    @SuppressWarnings("unchecked")
    /** The released unified SDP config, pointed at small stand-in datasets and a stand-in backbone under {@code dir}. */
    private Path upstreamConfigOnStandIns() throws Exception {
        Path upstream = Path.of(System.getProperty("gamma.shared"), "upstream-configs", "unified_train_SDP.yml");
        String yml = Files.readString(upstream).replace(UPSTREAM_ROOT, dir.resolve("data").toString());
        Path config = dir.resolve("unified_train_SDP.yml");
        Files.writeString(config, yml);
        standIns(new Yaml().load(yml));
        StandIns.writeBackbone(dir.resolve("pretrained_weight/UniQA_weight.pt"), 6, 1);
        return config;
    }

    private void standIns(Map<String, Object> config) throws Exception {
        Random rng = new Random(9);
        Set<String> done = new HashSet<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) config.get("datasets")).entrySet()) {
            if (e.getKey().equals("data_loader")) {
                continue;
            }
            Map<String, Object> d = (Map<String, Object>) e.getValue();
            Path root = dir.resolve(d.get("dataroot_target").toString());
            Path meta = dir.resolve(d.get("meta_info_file").toString());
            if (!done.add(meta.toString())) {
                continue;
            }
            String type = d.get("type").toString();
            List<Double> range = ((List<Number>) d.get("mos_range")).stream().map(Number::doubleValue).toList();
            boolean resized = d.containsKey("augment") && ((Map<String, Object>) d.get("augment")).containsKey("resize");
            List<String> rows = new ArrayList<>();
            if (type.equals("LIVEChallengeDataset")) {
                for (int i = 0; i < 7; i++) {
                    rows.add("dropped_" + i + ".png,50");  // Parity: the first 7 rows are dropped before the split
                }
            }
            for (int i = 0; i < 6; i++) {
                double level = rng.nextDouble();
                String name = "img_" + i + ".png";
                StandIns.writeImage(root.resolve(name), resized ? 250 : 224, resized ? 236 : 224, level, rng);
                double mos = range.get(0) + level * (range.get(1) - range.get(0));
                rows.add(switch (type) {
                    case "GeneralFRDataset" -> "ref_" + i + ".png," + name + "," + mos;
                    case "AVADataset" -> name + "," + mos + ",1,2,3,4,5,6,7,8,9,10";
                    default -> name + "," + mos;
                });
            }
            StandIns.writeCsv(meta, type.equals("GeneralFRDataset") ? "ref_name,dist_name,mos" : "name,mos", rows);
            StandIns.writeSplit(dir.resolve(d.get("split_file").toString()), 1, List.of(0, 1, 2, 3), List.of(4, 5), List.of(4, 5));
        }
    }
}
