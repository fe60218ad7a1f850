package org.gammaiqa.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which samples each training batch holds, and the seed of each one's flip and crop; every draw depends only on
 * (manual_seed, epoch, position), so a resumed run sees the same batches. An epoch is ⌈samples / batch size⌉
 * batches. Plain: the seeded shuffle ({@code use_shuffle}) or the datasets in list order, cut into batches. With a
 * rank loss, each batch first takes {@code series_per_batch} series, in a seeded order that cycles through all of
 * them, up to batch size / series_per_batch images of each (a seeded choice when a series is longer), every image of
 * a series with the same crop seed; then the rest of the batch from the plain order's batch. Keeps the current
 * epoch's orders; not thread-safe.
 */
final class BatchPlanner {
    /**
     * One batch: sample indices, crop seeds and, for each sample, its series' place in the batch (−1 for none).
     */
    record Plan(int[] items, long[] cropSeeds, int[] series) {}

    private final long seed;
    private final int batchSize;
    private final boolean shuffle;
    private final int samples;
    private final RankLoss rank;
    private final SeriesIndex series;
    private int cachedEpoch = -1;
    private int[] order;
    private int[] seriesOrder;

    /** @param rank the rank loss, or null; {@code series} must then hold at least one series */
    BatchPlanner(long seed, int batchSize, boolean shuffle, int samples, RankLoss rank, SeriesIndex series) {
        if (rank != null && series.size() == 0) {
            throw new IllegalArgumentException("train.rank_loss_opt is set but the training data hold no series of one "
                    + "reference's distortions with different MOS (GeneralFRDataset rows with a ref column and a type column)");
        }
        this.seed = seed;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.samples = samples;
        this.rank = rank;
        this.series = series;
    }

    int batchesPerEpoch() {
        return (samples + batchSize - 1) / batchSize;
    }

    Plan plan(int epoch, int batch) {
        if (epoch != cachedEpoch) {
            order = permutation(samples, shuffle, mix(seed, epoch, -1));
            seriesOrder = rank == null ? null : permutation(series.size(), true, mix(seed, epoch, -2));
            cachedEpoch = epoch;
        }
        int from = batch * batchSize;
        int[] items = new int[batchSize];
        long[] seeds = new long[batchSize];
        int[] slots = new int[batchSize];
        int n = 0;
        if (rank != null) {
            int k = rank.seriesPerBatch();
            int per = batchSize / k;
            for (int j = 0; j < k; j++) {
                long position = (long) batch * k + j;
                SplittableRandom rng = new SplittableRandom(mix(seed, epoch, -3 - position));
                int[] members = series.get(seriesOrder[(int) (position % series.size())]);
                if (members.length > per) {
                    shuffle(members, rng);
                }
                long cropSeed = rng.nextLong();
                for (int m = 0; m < Math.min(per, members.length); m++) {
                    items[n] = members[m];
                    seeds[n] = cropSeed;
                    slots[n++] = j;
                }
            }
        }
        for (int p = from; n < batchSize && p < samples; p++) {
            items[n] = order[p];
            seeds[n] = mix(seed, epoch, p);
            slots[n++] = -1;
        }
        return new Plan(Arrays.copyOf(items, n), Arrays.copyOf(seeds, n), Arrays.copyOf(slots, n));
    }

    private static int[] permutation(int n, boolean shuffled, long seed) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        if (shuffled) {
            shuffle(out, new SplittableRandom(seed));
        }
        return out;
    }

    /** Fisher–Yates, in place. */
    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static long mix(long seed, long epoch, long position) {
        long h = new SplittableRandom(seed).nextLong();
        h = new SplittableRandom(h ^ epoch).nextLong();
        return new SplittableRandom(h ^ position).nextLong();
    }
}
