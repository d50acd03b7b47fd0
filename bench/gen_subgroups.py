#!/usr/bin/env python3
"""Writes the subgroup-search benchmark input: gen_fairness.py's columns plus
four low-cardinality columns nobody declares as sensitive, and one planted
slice (channel = app & age_band = 65+ & tenure = <1y) whose decisions are
wrong three times as often.

usage: gen_subgroups.py PATH [ROWS]   (default 10,000,000). Seeded.
"""
import sys

import numpy as np
import pandas as pd

path = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
rng = np.random.default_rng(7)
group = rng.integers(0, 5, size=rows)
region = rng.integers(0, 8, size=rows)
channel = rng.integers(0, 3, size=rows)
age_band = rng.integers(0, 6, size=rows)
tenure = rng.integers(0, 4, size=rows)
device = rng.integers(0, 3, size=rows)
label = (rng.random(rows) < 0.25 + 0.1 * group).astype(np.int8)
score = np.clip(0.55 * label + 0.05 * group + rng.normal(0.2, 0.2, size=rows), 0.0, 1.0)
prediction = (score >= 0.5).astype(np.int8)
planted = (channel == 2) & (age_band == 5) & (tenure == 0)
flip = planted & (rng.random(rows) < 0.3)
prediction = np.where(flip, 1 - prediction, prediction).astype(np.int8)
frame = pd.DataFrame({
    "group": pd.Series(np.array(["a", "b", "c", "d", "e"])[group]),
    "region": pd.Series(np.array([f"r{i}" for i in range(8)])[region]),
    "channel": pd.Series(np.array(["web", "phone", "app"])[channel]),
    "age_band": pd.Series(np.array(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"])[age_band]),
    "tenure": pd.Series(np.array(["<1y", "1-3y", "3-5y", "5y+"])[tenure]),
    "device": pd.Series(np.array(["ios", "android", "desktop"])[device]),
    "label": label,
    "prediction": prediction,
    "score": score,
})
frame.to_parquet(path, index=False)
print(f"{path}: {rows} rows, {int(planted.sum())} in the planted slice")
