"""Writes split_p{0,2,5}.pkl: {1: {"train": [2, 0], "val": [1], "test": [1]}, 2: {...}} with pickle protocols 0, 2 and 5.

usage: /usr/bin/python3 make_split_pickles.py
"""
import pickle

splits = {1: {"train": [2, 0], "val": [1], "test": [1]}, 2: {"train": [0], "val": [2], "test": [2]}}
for protocol in (0, 2, 5):
    with open(f"split_p{protocol}.pkl", "wb") as f:
        pickle.dump(splits, f, protocol=protocol)
