package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gammaiqa.data.Sample;
import org.junit.jupiter.api.Test;

/** Series from full-reference rows, and batches that hold whole series with one crop each. */
class BatchPlannerTest {
    /** 3 references × 2 types × levels 1–3 with the reference rows, plus one series whose MOS never changes. */
    private static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            out.add(new Sample(Path.of("r" + r), 1.0, "r" + r, null));
            for (String type : List.of("blur", "noise")) {
                for (int level = 1; level <= 3; level++) {
                    out.add(new Sample(Path.of("r" + r + type + level), 1 - level / 4.0, "r" + r, type));
                }
            }
        }
        out.add(new Sample(Path.of("flat1"), 0.5, "flat", "x"));
        out.add(new Sample(Path.of("flat2"), 0.5, "flat", "x"));
        out.add(new Sample(Path.of("nr"), 0.3));
        return out;
    }

    private static List<String> keys(int n) {
        return java.util.Collections.nCopies(n, "train_1");
    }

    @Test
    void seriesAreAReferenceWithItsDistortionsOfOneType() {
        List<Sample> s = samples();
        SeriesIndex index = SeriesIndex.of(s, keys(s.size()));
        assertThat(index.size()).isEqualTo(6);  // the flat series makes no pair, the NR sample is in none
        assertThat(index.get(0)).containsExactly(0, 1, 2, 3);
        assertThat(index.get(1)).containsExactly(0, 4, 5, 6);
        assertThat(index.get(5)).containsExactly(14, 18, 19, 20);
        List<String> twoSets = new ArrayList<>(keys(s.size()));
        twoSets.set(0, "train_2");  // r0's reference row in another dataset: its series lose it
        assertThat(SeriesIndex.of(s, twoSets).get(0)).containsExactly(1, 2, 3);
    }

    @Test
    void batchesHoldWholeSeriesWithOneCropSeedEach() {
        List<Sample> s = samples();
        SeriesIndex index = SeriesIndex.of(s, keys(s.size()));
        BatchPlanner planner = new BatchPlanner(9, 10, true, s.size(), new RankLoss(1, 0.05, 2), index);
        assertThat(planner.batchesPerEpoch()).isEqualTo(3);
        Set<List<Integer>> seen = new HashSet<>();
        for (int b = 0; b < 3; b++) {
            BatchPlanner.Plan p = planner.plan(0, b);
            assertThat(p.items()).hasSize(10);  // 2 series of 4, then 2 of the plain order's batch
            for (int slot = 0; slot < 2; slot++) {
                List<Integer> members = new ArrayList<>();
                Set<Long> seeds = new HashSet<>();
                for (int i = 0; i < p.items().length; i++) {
                    if (p.series()[i] == slot) {
                        members.add(p.items()[i]);
                        seeds.add(p.cropSeeds()[i]);
                    }
                }
                assertThat(seeds).hasSize(1);
                assertThat(List.of(Arrays.stream(index.get(0)).boxed().toList(), Arrays.stream(index.get(1)).boxed().toList(),
                        Arrays.stream(index.get(2)).boxed().toList(), Arrays.stream(index.get(3)).boxed().toList(),
                        Arrays.stream(index.get(4)).boxed().toList(), Arrays.stream(index.get(5)).boxed().toList()))
                        .contains(members);
                seen.add(members);
            }
            assertThat(Arrays.stream(p.series()).filter(x -> x < 0).count()).isEqualTo(2);
        }
        assertThat(seen).as("an epoch's 6 series places cover the 6 series").hasSize(6);
        BatchPlanner again = new BatchPlanner(9, 10, true, s.size(), new RankLoss(1, 0.05, 2), index);
        assertThat(again.plan(0, 1)).usingRecursiveComparison().isEqualTo(planner.plan(0, 1));
        assertThat(again.plan(1, 1).items()).isNotEqualTo(planner.plan(0, 1).items());
    }

    @Test
    void longSeriesAreCutToTheirShareOfTheBatch() {
        List<Sample> s = samples();
        BatchPlanner planner = new BatchPlanner(9, 6, true, s.size(), new RankLoss(1, 0.05, 2), SeriesIndex.of(s, keys(s.size())));
        BatchPlanner.Plan p = planner.plan(0, 0);
        assertThat(p.items()).hasSize(6);
        assertThat(p.series()).containsExactly(0, 0, 0, 1, 1, 1);
    }

    @Test
    void withoutARankLossBatchesAreTheShuffledOrderCut() {
        List<Sample> s = samples();
        BatchPlanner planner = new BatchPlanner(9, 10, true, s.size(), null, SeriesIndex.of(s, keys(s.size())));
        Set<Integer> all = new HashSet<>();
        for (int b = 0; b < 3; b++) {
            BatchPlanner.Plan p = planner.plan(0, b);
            assertThat(p.series()).containsOnly(-1);
            assertThat(Arrays.stream(p.cropSeeds()).distinct().count()).isEqualTo(p.items().length);
            Arrays.stream(p.items()).forEach(all::add);
        }
        assertThat(all).hasSize(s.size());
        assertThat(new BatchPlanner(9, 10, false, s.size(), null, null).plan(0, 1).items())
                .containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }

    @Test
    void aRankLossNeedsSeries() {
        List<Sample> nr = List.of(new Sample(Path.of("a"), 0.1), new Sample(Path.of("b"), 0.2));
        assertThatThrownBy(() -> new BatchPlanner(1, 2, true, 2, new RankLoss(1, 0.05, 1), SeriesIndex.of(nr, keys(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no series");
    }
}
