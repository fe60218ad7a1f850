#!/usr/bin/env python3
"""The demo model's quality measure on a `gamma synth` dataset: for each reference and distortion type, the
Spearman correlation between distortion level (0 = the reference itself, 1 … 5) and the model's score, negated
(scores should fall as levels rise), then averaged — overall and per type; also without the reference (levels
1 … 5 only, as in KADID, whose levels start at the first distortion). A series whose distorted files are all
byte for byte the reference (desaturating a greyscale photograph) is no distortion: it is left out and counted.

Usage: level_srcc.py DATASET/meta_info.csv SCORES   (SCORES: `gamma score` output, JSONL or CSV, of DATASET)
Standard library only."""
import collections
import csv
import json
import os
import sys


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return 0.0 if sxx == 0 or syy == 0 else sxy / (sxx * syy) ** 0.5


def read_scores(path):
    scores = {}
    with open(path, newline="") as f:
        if path.endswith(".jsonl"):
            rows = (json.loads(line) for line in f if line.strip())
        else:
            rows = csv.DictReader(f)
        for row in rows:
            if row.get("score") not in (None, ""):
                scores[os.path.realpath(row["path"])] = float(row["score"])
    return scores


def main(meta, scores_path):
    root = os.path.dirname(os.path.abspath(meta))
    scores = read_scores(scores_path)
    clean, series, unchanged = {}, collections.defaultdict(dict), collections.defaultdict(set)
    with open(meta, newline="") as f:
        for row in csv.DictReader(f):
            score = scores.get(os.path.realpath(os.path.join(root, row["dist"])))
            if score is None:
                sys.exit(f"no score for {row['dist']} in {scores_path}")
            if int(row["level"]) == 0:
                clean[row["ref"]] = score
            else:
                series[(row["ref"], row["type"])][int(row["level"])] = score
                unchanged[(row["ref"], row["type"])].add(same_file(root, row["ref"], row["dist"]))
    per_type = collections.defaultdict(list)
    distorted_only = []
    skipped = [key for key, same in unchanged.items() if same == {True}]
    for key in skipped:
        del series[key]
    for (ref, kind), by_level in series.items():
        levels = sorted(by_level)
        scores_by_level = [by_level[l] for l in levels]
        per_type[kind].append(-spearman([0] + levels, [clean[ref]] + scores_by_level))
        distorted_only.append(-spearman(levels, scores_by_level))
    every = [v for vs in per_type.values() for v in vs]
    print(f"mean SRCC(score, level) {mean(every):.3f} over {len(every)} reference×type pairs ({len(clean)} "
          f"references); levels 1 … 5 only: {mean(distorted_only):.3f}")
    if skipped:
        print(f"  left out, distortion changed nothing: {', '.join(sorted(f'{r} {k}' for r, k in skipped))}")
    for kind, vs in sorted(per_type.items(), key=lambda kv: -mean(kv[1])):
        print(f"  {kind:22s} {mean(vs):.3f}")


def same_file(root, a, b):
    with open(os.path.join(root, a), "rb") as fa, open(os.path.join(root, b), "rb") as fb:
        return fa.read() == fb.read()


def mean(values):
    return sum(values) / len(values)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
