package org.gammaiqa.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The metrics (docs/MODEL.md, "Metrics") as pure functions of (predictions, MOS): SRCC with average ranks for ties,
 * raw PLCC (no logistic fit, pyiqa's default), Kendall's τ-b and RMSE. Each equals scipy's
 * {@code spearmanr}, {@code pearsonr}, {@code kendalltau} and the root mean squared difference;
 * a correlation of a constant sequence is NaN, as in scipy.
 */
public enum Metric {
    SRCC("srcc") {
        @Override
        public double compute(double[] p, double[] y) {
            check(p, y);
            return pearson(ranks(p), ranks(y));
        }
    },
    PLCC("plcc") {
        @Override
        public double compute(double[] p, double[] y) {
            check(p, y);
            return pearson(p, y);
        }
    },
    KRCC("krcc") {
        @Override
        public double compute(double[] p, double[] y) {
            check(p, y);
            return kendallTauB(p, y);
        }
    },
    RMSE("rmse") {
        @Override
        public double compute(double[] p, double[] y) {
            check(p, y);
            double s = 0;
            for (int i = 0; i < p.length; i++) {
                s += (p[i] - y[i]) * (p[i] - y[i]);
            }
            return Math.sqrt(s / p.length);
        }
    };

    private final String id;

    Metric(String id) {
        this.id = id;
    }

    /** The lower-case name used in configs and tables, e.g. {@code srcc}. */
    public String id() {
        return id;
    }

    public abstract double compute(double[] predictions, double[] mos);

    /** The metric named {@code id} (case ignored), or an error listing the names. */
    public static Metric parse(String id) {
        for (Metric m : values()) {
            if (m.id.equalsIgnoreCase(id.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + id + "'; expected one of srcc, plcc, krcc, rmse");
    }

    private static void check(double[] p, double[] y) {
        if (p.length != y.length || p.length < 2) {
            throw new IllegalArgumentException("metrics need two sequences of equal length ≥ 2, got "
                    + p.length + " predictions and " + y.length + " MOS values");
        }
    }

    /** 1-based ranks, ties given the average of the ranks they span (scipy's {@code rankdata(method="average")}). */
    static double[] ranks(double[] x) {
        Integer[] order = IntStream.range(0, x.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (i, j) -> compare(x[i], x[j]));
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; ) {
            int j = i;
            while (j + 1 < x.length && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    /** Numeric order where −0.0 equals 0.0 (unlike {@link Double#compare}), as numpy compares. */
    private static int compare(double a, double b) {
        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static boolean constant(double[] a) {
        return Arrays.stream(a).allMatch(v -> v == a[0]);
    }

    static double pearson(double[] a, double[] b) {
        if (constant(a) || constant(b)) {
            return Double.NaN;
        }
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
    }

    /** τ-b = (C − D) / √((n₀ − n₁)(n₀ − n₂)), ties in either sequence excluded from the pairs they tie. O(n²). */
    static double kendallTauB(double[] a, double[] b) {
        long concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                int sa = compare(a[i], a[j]);
                int sb = compare(b[i], b[j]);
                if (sa == 0 && sb == 0) {
                    continue;
                }
                if (sa == 0) {
                    tiesA++;
                } else if (sb == 0) {
                    tiesB++;
                } else if (sa == sb) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        double denominator = Math.sqrt((double) (concordant + discordant + tiesA) * (concordant + discordant + tiesB));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }
}
