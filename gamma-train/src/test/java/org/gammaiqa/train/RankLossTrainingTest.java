package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.testing.StandIns;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.train.config.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.rank_loss_opt} end to end on a small full-reference set (each reference darkened in two ways at
 * three levels): the run trains with series in its batches, ends elsewhere than the same run without the rank
 * loss, and a run stopped mid-epoch and resumed ends with the same weights, bit for bit.
 */
class RankLossTrainingTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws Exception {
        StandIns.writeBackbone(dir.resolve("clip.pth"), 2, 3);
        Random rng = new Random(8);
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            String ref = "ref/r" + r + ".png";
            StandIns.writeImage(dir.resolve("fr/" + ref), 240, 232, 0.9, rng);
            rows.add(ref + "," + ref + ",5,none,0");
            for (String type : List.of("dim", "dark")) {
                for (int level = 1; level <= 3; level++) {
                    String dist = "dist/r" + r + "_" + type + "_" + level + ".png";
                    StandIns.writeImage(dir.resolve("fr/" + dist), 240, 232, 0.9 - level * (type.equals("dim") ? 0.1 : 0.25), rng);
                    rows.add(ref + "," + dist + "," + (5 - level) + "," + type + "," + level);
                }
            }
        }
        StandIns.writeCsv(dir.resolve("fr/meta_info.csv"), "ref,dist,mos,type,level", rows);
        Files.writeString(dir.resolve("rank.yml"), """
                name: rank
                manual_seed: 2
                datasets:
                  data_loader: {batch_size_per_gpu: 8, use_shuffle: true, num_worker_per_gpu: 2}
                  train_1:
                    type: GeneralFRDataset
                    dataroot_target: fr
                    meta_info_file: fr/meta_info.csv
                    mos_range: [1, 5]
                    mos_normalize: true
                    nr_model: true
                    augment: {hflip: true, random_crop: 224}
                network: {backbone: clip.pth, num_experts: 2, num_ft_layer: 1}
                train:
                  optim: {type: Adam, lr: !!float 1e-2}
                  scheduler: {type: CosineAnnealingLR, T_max: 2, eta_min: 0}
                  total_epoch: 2
                  rank_loss_opt: {type: PairwiseRankLoss, loss_weight: 1.0, temperature: 0.05, series_per_batch: 2}
                logger: {save_latest_freq: 100}
                """);
    }

    @Test
    void trainsWithSeriesAndResumesBitForBit() throws Exception {
        TrainConfig config = TrainConfig.load(dir.resolve("rank.yml"), dir);
        assertThat(config.optimiser().rankLoss()).isEqualTo(new RankLoss(1.0, 0.05, 2));
        Path straight = dir.resolve("straight");
        TrainState end = new Trainer(config, TestAssets.vocabulary(), new Trainer.Options(straight, false, 0, 1),
                new TrainingListener() {}).run();
        assertThat(end.step()).isEqualTo(8);  // 28 images, batches of 8: 4 a epoch
        assertThat(Files.readAllLines(straight.resolve("metrics.jsonl")).stream()
                .map(l -> readLoss(l)).filter(Double::isFinite).count()).isEqualTo(8);

        Path split = dir.resolve("split");
        new Trainer(config, TestAssets.vocabulary(), new Trainer.Options(split, false, 5, 1), new TrainingListener() {}).run();
        TrainState resumed = new Trainer(config, TestAssets.vocabulary(), new Trainer.Options(split, true, 0, 1),
                new TrainingListener() {}).run();
        assertThat(resumed.step()).isEqualTo(8);
        StateDict a = CheckpointReader.read(straight.resolve("latest.safetensors"));
        StateDict b = CheckpointReader.read(split.resolve("latest.safetensors"));
        for (String key : a.keys()) {
            assertThat(b.get(key).data()).as("resumed %s", key).isEqualTo(a.get(key).data());
        }

        Path plain = dir.resolve("plain");
        Files.writeString(dir.resolve("plain.yml"), Files.readString(dir.resolve("rank.yml")).replaceAll("  rank_loss_opt:.*\n", ""));
        TrainConfig mseOnly = TrainConfig.load(dir.resolve("plain.yml"), dir);
        assertThat(mseOnly.optimiser().rankLoss()).isNull();
        new Trainer(mseOnly, TestAssets.vocabulary(), new Trainer.Options(plain, false, 0, 1), new TrainingListener() {}).run();
        StateDict c = CheckpointReader.read(plain.resolve("latest.safetensors"));
        assertThat(a.keys().stream().filter(k -> !java.util.Arrays.equals(a.get(k).toFloats(), c.get(k).toFloats())).count())
                .as("tensors the rank loss changed").isPositive();
    }

    private static double readLoss(String line) {
        try {
            return new ObjectMapper().readTree(line).path("loss").asDouble(Double.NaN);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
