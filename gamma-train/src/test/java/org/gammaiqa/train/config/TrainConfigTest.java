package org.gammaiqa.train.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gammaiqa.data.Augment;
import org.gammaiqa.data.ConfigException;
import org.gammaiqa.data.DatasetSpec;
import org.gammaiqa.data.DatasetType;
import org.gammaiqa.data.Phase;
import org.gammaiqa.data.Sample;
import org.gammaiqa.testing.StandIns;
import org.gammaiqa.train.RankLoss;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The released option files parse unchanged; unknown keys and bad values are reported by their path. */
class TrainConfigTest {
    private static final Path UPSTREAM = Path.of(System.getProperty("gamma.shared"), "upstream-configs");

    @TempDir
    Path dir;

    @Test
    void unifiedSdpConfigParses() throws Exception {
        TrainConfig c = TrainConfig.load(UPSTREAM.resolve("unified_train_SDP.yml"), dir);
        assertThat(c.data().useSdp()).isTrue();
        assertThat(c.data().train()).hasSize(12);
        assertThat(c.data().val()).hasSize(12);
        assertThat(c.data().batchSize()).isEqualTo(8);
        assertThat(c.data().shuffle()).isTrue();
        assertThat(c.optimiser().lr()).isEqualTo(2e-5);
        assertThat(c.schedule().tMax()).isEqualTo(10);
        assertThat(c.schedule().totalEpochs()).isEqualTo(10);
        assertThat(c.validation().valFreqEpoch()).isEqualTo(5);
        assertThat(c.model().numExperts()).isEqualTo(3);
        assertThat(c.model().numFtLayer()).isEqualTo(6);
        assertThat(c.seed()).isEqualTo(123);
        assertThat(c.model().backbone()).isEqualTo(dir.resolve("pretrained_weight/UniQA_weight.pt"));
        assertThat(c.data().train().stream().map(d -> d.scene()).toList()).containsExactly(Scene.NATURAL, Scene.NATURAL,
                Scene.NATURAL, Scene.NATURAL, Scene.NATURAL, Scene.AIGC, Scene.UNDERWATER, Scene.FACE, Scene.NATURAL,
                Scene.NATURAL, Scene.AESTHETIC, Scene.AESTHETIC);
        DatasetSpec live = c.data().train().get(3);
        assertThat(live.type()).isEqualTo(DatasetType.GENERAL_FR);
        assertThat(live.normalise(1)).isEqualTo(1.0);      // lower is better: MOS 1 of [1, 100] is the best
        assertThat(live.normalise(100)).isEqualTo(0.0);
        assertThat(c.data().train().get(6).augment()).isEqualTo(new Augment(true, 224, 224));
        assertThat(c.data().val().get(6).augment()).isEqualTo(new Augment(false, 224, 0));
        assertThat(c.data().train().get(11).type()).isEqualTo(DatasetType.AVA);
        assertThat(c.data().train().get(7).splitIndex()).isEqualTo(1);  // GFIQA gives none: pyiqa's default
    }

    @Test
    void plainAndSingleDatasetConfigsParse() throws Exception {
        TrainConfig plain = TrainConfig.load(UPSTREAM.resolve("unified_train.yml"), dir);
        assertThat(plain.data().useSdp()).isFalse();
        assertThat(plain.data().train()).allMatch(d -> d.scene() == Scene.GENERIC);
        TrainConfig koniq = TrainConfig.load(UPSTREAM.resolve("koniq.yml"), dir);
        assertThat(koniq.data().train()).hasSize(1);
        assertThat(koniq.data().batchSize()).isEqualTo(8);
        assertThat(koniq.optimiser().lr()).isEqualTo(2e-4);
        assertThat(koniq.schedule().totalEpochs()).isEqualTo(20);
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() throws Exception {
        String yml = Files.readString(UPSTREAM.resolve("koniq.yml"))
                .replace("    lower_better: false \n    mos_normalize: true\n    split_index: 1 # default 1",
                        "    lower_better: false \n    mos_normalize: true\n    split_idx: 1 # default 1")
                .replace("type: Adam", "type: AdamW")
                .replace("type: GeneralNRDataset\n    dataroot_target: /data/iqa_iaa_data/iqa_data/koniq10k/512x384\n    meta_info_file: ./datasets/meta_info/meta_info_KonIQ10kDataset.csv\n    split_file: ./datasets/meta_info/koniq_10split.pkl\n    mos_range: [0, 100]\n    lower_better: false \n    mos_normalize: true\n    split_index: 1\n",
                        "type: GeneralNRDatset\n    dataroot_target: /data/iqa_iaa_data/iqa_data/koniq10k/512x384\n    meta_info_file: ./datasets/meta_info/meta_info_KonIQ10kDataset.csv\n    split_file: ./datasets/meta_info/koniq_10split.pkl\n    mos_range: [0, 100]\n    lower_better: false \n    mos_normalize: true\n    split_index: 1\n");
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, yml);
        assertThatThrownBy(() -> TrainConfig.load(file, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("datasets.train.split_idx: unknown key")
                .hasMessageContaining("train.optim.type: is 'AdamW'; only 'Adam' is supported")
                .hasMessageContaining("datasets.val.type: unknown dataset type 'GeneralNRDatset'");
    }

    @Test
    void rankLossOptionsParseAndAreChecked() throws Exception {
        String yml = """
                manual_seed: 3
                datasets:
                  data_loader: {batch_size_per_gpu: 16}
                  train_1: {type: %s, dataroot_target: d, meta_info_file: d/meta.csv, nr_model: true}
                network: {backbone: clip.pth}
                train:
                  rank_loss_opt: %s
                """;
        Path file = dir.resolve("rank.yml");
        Files.writeString(file, yml.formatted("GeneralFRDataset", "{type: PairwiseRankLoss, loss_weight: 0.5, temperature: 0.1, series_per_batch: 2}"));
        assertThat(TrainConfig.load(file, dir).optimiser().rankLoss()).isEqualTo(new RankLoss(0.5, 0.1, 2));
        Files.writeString(file, yml.formatted("GeneralFRDataset", "{type: PairwiseRankLoss}"));
        assertThat(TrainConfig.load(file, dir).optimiser().rankLoss()).isEqualTo(new RankLoss(1.0, 0.05, 10));
        Files.writeString(file, yml.formatted("GeneralNRDataset", "{type: MarginRankLoss, temperature: 0, series_per_batch: 2}"));
        assertThatThrownBy(() -> TrainConfig.load(file, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("train.rank_loss_opt.type: is 'MarginRankLoss'; only 'PairwiseRankLoss' is supported")
                .hasMessageContaining("train.rank_loss_opt: loss_weight 1.0 and temperature 0.0 must be > 0");
        Files.writeString(file, yml.formatted("GeneralNRDataset", "{type: PairwiseRankLoss, series_per_batch: 17}"));
        assertThatThrownBy(() -> TrainConfig.load(file, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("series_per_batch: is 17, more than the batch size 16")
                .hasMessageContaining("no training dataset is a GeneralFRDataset");
        Files.writeString(file, yml.formatted("GeneralFRDataset", "{}").replace("  rank_loss_opt: {}\n", ""));
        assertThat(TrainConfig.load(file, dir).optimiser().rankLoss()).isNull();
    }

    @Test
    void fullReferenceRowsKnowTheirReferenceAndDistortion() throws Exception {
        StandIns.writeCsv(dir.resolve("m.csv"), "ref,dist,mos,type,level", List.of("r/a.png,r/a.png,5,none,0",
                "r/a.png,d/a_blur_1.png,4,blur,1", "r/a.png,d/a_noise_1.png,4,noise,1"));
        StandIns.writeCsv(dir.resolve("untyped.csv"), "ref,dist,mos", List.of("r/a.png,d/a_1.png,4"));
        DatasetSpec typed = new DatasetSpec("train_1", "X", DatasetType.GENERAL_FR, dir, dir.resolve("m.csv"), null, 1,
                new double[] {1, 5}, false, true, Augment.NONE, Scene.GENERIC);
        assertThat(typed.load(Phase.TRAIN)).containsExactly(new Sample(dir.resolve("r/a.png"), 1.0, "r/a.png", null),
                new Sample(dir.resolve("d/a_blur_1.png"), 0.75, "r/a.png", "blur"),
                new Sample(dir.resolve("d/a_noise_1.png"), 0.75, "r/a.png", "noise"));
        DatasetSpec untyped = new DatasetSpec("train_1", "X", DatasetType.GENERAL_FR, dir, dir.resolve("untyped.csv"),
                null, 1, new double[] {1, 5}, false, true, Augment.NONE, Scene.GENERIC);
        assertThat(untyped.load(Phase.TRAIN)).containsExactly(new Sample(dir.resolve("d/a_1.png"), 0.75, "r/a.png", ""));
    }

    @Test
    void pythonSplitPicklesOfAnyProtocolLoad() throws Exception {
        StandIns.writeCsv(dir.resolve("m.csv"), "name,mos", List.of("a.png,0", "b.png,50", "c.png,100"));
        for (int protocol : new int[] {0, 2, 5}) {
            Path pkl = Path.of(getClass().getResource("/data/split_p" + protocol + ".pkl").toURI());
            DatasetSpec d = new DatasetSpec("train_1", "X", DatasetType.GENERAL_NR, dir, dir.resolve("m.csv"), pkl, 1,
                    new double[] {0, 100}, true, true, Augment.NONE, Scene.NATURAL);
            assertThat(d.load(Phase.TRAIN)).as("protocol %d", protocol)
                    .containsExactly(new Sample(dir.resolve("c.png"), 0.0), new Sample(dir.resolve("a.png"), 1.0));
            assertThat(d.load(Phase.TEST)).containsExactly(new Sample(dir.resolve("b.png"), 0.5));
        }
    }

    @Test
    void splitColumnsInTheCsv() throws Exception {
        StandIns.writeCsv(dir.resolve("m.csv"), "name,mos,split,split_2", List.of("a.png,0,train,test", "b.png,50,test,train",
                "c.png,100,TRAIN,train"));
        DatasetSpec one = new DatasetSpec("train_1", "X", DatasetType.GENERAL_NR, dir, dir.resolve("m.csv"), null, 1,
                new double[] {0, 100}, false, true, Augment.NONE, Scene.NATURAL);
        assertThat(one.load(Phase.TRAIN)).extracting(Sample::image).containsExactly(dir.resolve("a.png"), dir.resolve("c.png"));
        assertThat(one.load(Phase.TEST)).extracting(Sample::image).containsExactly(dir.resolve("b.png"));
        DatasetSpec two = new DatasetSpec("train_1", "X", DatasetType.GENERAL_NR, dir, dir.resolve("m.csv"), null, 2,
                new double[] {0, 100}, false, true, Augment.NONE, Scene.NATURAL);
        assertThat(two.load(Phase.TRAIN)).extracting(Sample::image).containsExactly(dir.resolve("b.png"), dir.resolve("c.png"));
    }

    @Test
    void splitFilesAndLiveChallengeQuirk() throws Exception {
        StandIns.writeCsv(dir.resolve("m.csv"), "name,mos", List.of("a.png,1", "b.png,2", "c.png,3", "d.png,4",
                "e.png,5", "f.png,6", "g.png,7", "h.png,8", "i.png,9"));
        StandIns.writeSplit(dir.resolve("s.pkl"), 2, List.of(1, 0), List.of(), List.of(1));
        DatasetSpec livec = new DatasetSpec("train_2", "LIVEC", DatasetType.LIVE_CHALLENGE, dir, dir.resolve("m.csv"),
                dir.resolve("s.pkl"), 2, new double[] {0, 10}, false, true, Augment.NONE, Scene.NATURAL);
        assertThat(livec.load(Phase.TRAIN)).containsExactly(new Sample(dir.resolve("i.png"), 0.9), new Sample(dir.resolve("h.png"), 0.8));
        DatasetSpec ava = new DatasetSpec("val_12", "AVA", DatasetType.AVA, dir, dir.resolve("m.csv"),
                dir.resolve("s.pkl"), 2, new double[] {0, 10}, false, true, Augment.NONE, Scene.AESTHETIC);
        assertThat(ava.load(Phase.VAL)).containsExactly(new Sample(dir.resolve("b.png"), 0.2));  // AVA validates on "test"
        DatasetSpec wrongIndex = new DatasetSpec("train_1", "X", DatasetType.GENERAL_NR, dir, dir.resolve("m.csv"),
                dir.resolve("s.pkl"), 1, new double[] {0, 10}, false, true, Augment.NONE, Scene.NATURAL);
        assertThatThrownBy(() -> wrongIndex.load(Phase.TRAIN)).hasMessageContaining("has no split 1 (it has [2])");
    }
}
