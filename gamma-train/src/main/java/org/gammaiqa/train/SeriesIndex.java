package org.gammaiqa.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gammaiqa.data.Sample;

/**
 * The series of a training set, for the pairwise rank loss: per dataset, the samples that share a reference and
 * a distortion type ({@link Sample#reference()}, {@link Sample#distortion()}), with the reference's own row. Only
 * series with two different MOS values are kept, since only those make pairs. In order of first appearance, so
 * the same data always give the same series.
 */
final class SeriesIndex {
    private final List<int[]> series;

    private SeriesIndex(List<int[]> series) {
        this.series = series;
    }

    /**
     * @param samples  the training samples, in the trainer's order
     * @param datasets for each sample, the key of its dataset (series never cross datasets)
     */
    static SeriesIndex of(List<Sample> samples, List<String> datasets) {
        Map<List<String>, List<Integer>> members = new LinkedHashMap<>();
        Map<List<String>, List<Integer>> references = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.reference() == null) {
                continue;
            }
            if (s.distortion() == null) {
                references.computeIfAbsent(List.of(datasets.get(i), s.reference()), k -> new ArrayList<>()).add(i);
            } else {
                members.computeIfAbsent(List.of(datasets.get(i), s.reference(), s.distortion()), k -> new ArrayList<>()).add(i);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<Integer>> e : members.entrySet()) {
            List<Integer> all = new ArrayList<>(references.getOrDefault(e.getKey().subList(0, 2), List.of()));
            all.addAll(e.getValue());
            if (all.stream().mapToDouble(i -> samples.get(i).mos()).distinct().count() > 1) {
                out.add(all.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return new SeriesIndex(List.copyOf(out));
    }

    int size() {
        return series.size();
    }

    /** The sample indices of series {@code i}, the reference's row first. */
    int[] get(int i) {
        return series.get(i).clone();
    }
}
