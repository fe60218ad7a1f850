"""Writes metric_cases.json: random predictions/MOS with ties and scipy's SRCC, PLCC, KRCC (tau-b), RMSE.

usage: /usr/bin/python3 make_metric_cases.py   (numpy, scipy)
"""
import json

import numpy as np
import scipy
import scipy.stats as st

rng = np.random.default_rng(5)
cases = []
for n, levels in [(12, 4), (40, 7), (200, 30), (7, 1000)]:
    p = np.round(rng.uniform(0, 1, n) * levels) / levels  # few levels: ties in both sequences
    y = np.round((p + rng.normal(0, 0.3, n)) * levels) / levels
    cases.append(dict(pred=p.tolist(), mos=y.tolist(), srcc=st.spearmanr(p, y)[0], plcc=st.pearsonr(p, y)[0],
                      krcc=st.kendalltau(p, y)[0], rmse=float(np.sqrt(np.mean((p - y) ** 2)))))
json.dump(dict(generator="make_metric_cases.py, scipy " + scipy.__version__, cases=cases),
          open("metric_cases.json", "w"), indent=1)
