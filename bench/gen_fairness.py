#!/usr/bin/env python3
"""Writes the fairness benchmark input: N rows x 2 sensitive features as Parquet.

usage: gen_fairness.py PATH [ROWS]   (default 10,000,000)
Columns: group (5 values), region (8 values), label and prediction (0/1, with
group-dependent rates so the figures are not trivial), score in [0, 1].
Seeded, so every run writes the same data.
"""
import sys

import numpy as np
import pandas as pd

path = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
rng = np.random.default_rng(42)
group = rng.integers(0, 5, size=rows)
region = rng.integers(0, 8, size=rows)
label = (rng.random(rows) < 0.25 + 0.1 * group).astype(np.int8)
score = np.clip(0.55 * label + 0.05 * group + rng.normal(0.2, 0.2, size=rows), 0.0, 1.0)
frame = pd.DataFrame({
    "group": pd.Series(np.array(["a", "b", "c", "d", "e"])[group]),
    "region": pd.Series(np.array([f"r{i}" for i in range(8)])[region]),
    "label": label,
    "prediction": (score >= 0.5).astype(np.int8),
    "score": score,
})
frame.to_parquet(path, index=False)
print(f"{path}: {rows} rows")
