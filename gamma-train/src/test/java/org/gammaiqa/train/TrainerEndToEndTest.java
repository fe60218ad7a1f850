package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.data.Phase;
import org.gammaiqa.eval.EvalReport;
import org.gammaiqa.eval.Evaluator;
import org.gammaiqa.eval.Metric;
import org.gammaiqa.model.CheckpointLayout;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.testing.StandIns;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.train.config.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny model grown from a random CLIP backbone, trained on a generated set (brightness follows MOS) with
 * shuffling and augmentation: the loss falls, checkpoints load with the scorer, a run stopped mid-epoch and
 * resumed ends with the same weights, bit for bit, as an uninterrupted one, and the result evaluates.
 */
class TrainerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws Exception {
        StandIns.writeBackbone(dir.resolve("clip.pth"), 2, 3);
        Random rng = new Random(4);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            double mos = (i * 7 % 16) / 15.0;
            StandIns.writeImage(dir.resolve("set/img" + i + ".png"), 240, 232, mos, rng);
            rows.add("img" + i + ".png," + (mos * 100));
        }
        StandIns.writeCsv(dir.resolve("meta/set.csv"), "image,mos", rows);
        StandIns.writeSplit(dir.resolve("meta/split.pkl"), 1, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
                List.of(12, 13, 14, 15), List.of(12, 13, 14, 15));
        Files.writeString(dir.resolve("train.yml"), """
                name: e2e
                manual_seed: 5
                use_SDP: true
                datasets:
                  data_loader: {batch_size_per_gpu: 4, use_shuffle: true, num_worker_per_gpu: 2}
                  train_1:
                    name: Stand-in
                    type: GeneralNRDataset
                    dataroot_target: set
                    meta_info_file: meta/set.csv
                    split_file: meta/split.pkl
                    split_index: 1
                    mos_range: [0, 100]
                    mos_normalize: true
                    scene: underwater
                    augment: {hflip: true, random_crop: 224}
                  val_1:
                    name: Stand-in
                    type: GeneralNRDataset
                    dataroot_target: set
                    meta_info_file: meta/set.csv
                    split_file: meta/split.pkl
                    mos_range: [0, 100]
                    mos_normalize: true
                    scene: underwater
                network: {backbone: clip.pth, num_experts: 2, num_ft_layer: 1}
                train:
                  optim: {type: Adam, lr: !!float 1e-2}
                  scheduler: {type: CosineAnnealingLR, T_max: 6, eta_min: 0}
                  total_epoch: 6
                val: {val_freq_epoch: 3, key_metric: srcc, metrics: {srcc: {type: calculate_srcc}}}
                logger: {save_latest_freq: 5, save_epoch_weights: true}
                """);
    }

    @Test
    void trainsCheckpointsResumesAndEvaluates() throws Exception {
        TrainConfig config = TrainConfig.load(dir.resolve("train.yml"), dir);
        Path straight = dir.resolve("straight");
        TrainState end = new Trainer(config, TestAssets.vocabulary(), new Trainer.Options(straight, false, 0, 1),
                new TrainingListener() {}).run();
        assertThat(end.step()).isEqualTo(18);

        List<JsonNode> steps = lines(straight, "step");
        double first = steps.subList(0, 3).stream().mapToDouble(n -> n.get("loss").asDouble()).average().orElseThrow();
        double last = steps.subList(15, 18).stream().mapToDouble(n -> n.get("loss").asDouble()).average().orElseThrow();
        System.out.printf("e2e: mean loss first epoch %.5f, last epoch %.5f%n", first, last);
        assertThat(last).isLessThan(first * 0.8);
        assertThat(lines(straight, "validation")).hasSize(2);
        assertThat(straight.resolve("best.pth")).exists();

        Path split = dir.resolve("split");
        TrainState stopped = new Trainer(config, TestAssets.vocabulary(), new Trainer.Options(split, false, 7, 1),
                new TrainingListener() {}).run();
        assertThat(stopped.step()).isEqualTo(7);
        assertThat(stopped.nextBatch()).isEqualTo(1);  // mid-epoch: epoch 2, second batch
        TrainState resumed = new Trainer(config, TestAssets.vocabulary(), new Trainer.Options(split, true, 0, 1),
                new TrainingListener() {}).run();
        assertThat(resumed.step()).isEqualTo(18);
        StateDict a = CheckpointReader.read(straight.resolve("latest.safetensors"));
        StateDict b = CheckpointReader.read(split.resolve("latest.safetensors"));
        for (int epoch = 1; epoch <= 6; epoch++) {
            assertThat(split.resolve("epoch-" + epoch + ".safetensors")).as("epoch %d of the resumed run", epoch).exists();
        }
        StateDict sixth = CheckpointReader.read(straight.resolve("epoch-6.safetensors"));
        StateDict second = CheckpointReader.read(straight.resolve("epoch-2.safetensors"));
        StateDict secondResumed = CheckpointReader.read(split.resolve("epoch-2.safetensors"));
        StateDict grown = Trainer.initialWeights(config);
        for (String key : a.keys()) {
            assertThat(b.get(key).data()).as("resumed %s", key).isEqualTo(a.get(key).data());
            assertThat(sixth.get(key).data()).as("epoch-6 %s", key).isEqualTo(a.get(key).data());
            assertThat(secondResumed.get(key).data()).as("epoch-2 of the resumed run, %s", key)
                    .isEqualTo(second.get(key).data());
            if (!CheckpointLayout.isTrainable(key)) {
                assertThat(a.get(key).data()).as("frozen %s", key).isEqualTo(grown.get(key).data());
            }
        }

        try (GammaScorer scorer = GammaScorer.load(straight.resolve("best.pth"), TestAssets.vocabulary())) {
            EvalReport report = new Evaluator(scorer, 10, 0, 2).evaluate(config.data().val(), Phase.TEST);
            System.out.print(report.table());
            assertThat(report.datasets()).hasSize(1);
            assertThat(report.datasets().get(0).n()).isEqualTo(4);
            assertThat(report.datasets().get(0).model().get(Metric.RMSE)).isFinite();
        }
    }

    private static List<JsonNode> lines(Path run, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals(type)) {
                out.add(n);
            }
        }
        return out;
    }
}
