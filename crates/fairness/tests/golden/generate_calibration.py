#!/usr/bin/env python3
"""Regenerates the scikit-learn reference values of the calibration figures.

Run by hand, not by CI:
    /tmp/aeq/bin/pip install scikit-learn==1.9.1 pandas
    /tmp/aeq/bin/python crates/fairness/tests/golden/generate_calibration.py

Writes calibration.csv (3,000 seeded rows: group, label, score; scores drawn
per group with different miscalibration, plus scores exactly on the bin edges
0, 0.1, ..., 1) and calibration.sklearn.json: per group and for all rows,
`sklearn.calibration.calibration_curve(label, score, n_bins=10,
strategy="uniform")` (prob_true, prob_pred per non-empty bin), each bin's row
count (np.bincount on the same bin ids), the expected calibration error
Σ count/n · |prob_true − prob_pred| and calibration-in-the-large
mean(score) − mean(label).
"""
import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve

assert version("scikit-learn") == "1.9.1", version("scikit-learn")
HERE = Path(__file__).parent
rng = np.random.default_rng(11)
rows = 3000
group = rng.choice(["a", "b", "c"], size=rows, p=[0.5, 0.3, 0.2])
truth = rng.random(rows)
shift = np.select([group == "a", group == "b"], [0.0, 0.15], -0.1)
label = (rng.random(rows) < truth).astype(int)
score = np.clip(truth + shift + rng.normal(0, 0.05, rows), 0, 1)
score[:22] = np.round(np.arange(22) % 11 / 10, 1)  # the edges themselves
frame = pd.DataFrame({"group": group, "label": label, "score": score})
frame.to_csv(HERE / "calibration.csv", index=False, float_format="%.17g")
frame = pd.read_csv(HERE / "calibration.csv")


def figures(part):
    y, p = part["label"].to_numpy(), part["score"].to_numpy()
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    bins = np.linspace(0.0, 1.0 + 1e-8, 11)
    ids = np.searchsorted(bins[1:-1], p)
    counts = np.bincount(ids, minlength=10)
    counts = counts[counts > 0]
    ece = float(np.sum(counts / len(y) * np.abs(prob_true - prob_pred)))
    return {
        "prob_true": prob_true.tolist(),
        "prob_pred": prob_pred.tolist(),
        "counts": counts.tolist(),
        "expected_calibration_error": ece,
        "calibration_in_the_large": float(p.mean() - y.mean()),
    }


reference = {
    "scikit-learn": version("scikit-learn"),
    "overall": figures(frame),
    "groups": {g: figures(part) for g, part in frame.groupby("group")},
}
(HERE / "calibration.sklearn.json").write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
print("wrote calibration.csv and calibration.sklearn.json")
