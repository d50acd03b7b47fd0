#!/usr/bin/env python3
"""Regenerates the Fairlearn reference values of the threshold remedies.

Run by hand, not by CI:
    python3 -m venv /tmp/fl-venv
    /tmp/fl-venv/bin/pip install fairlearn==0.15.0 pandas==3.1.1 scikit-learn==1.9.1 numpy==2.4.6
    /tmp/fl-venv/bin/python crates/fairness/tests/golden/generate_threshold_optimizer.py

For every case it writes threshold_optimizer_CASE.csv (group, label, score;
seeded) and, for all cases together, threshold_optimizer.fairlearn.json: Fairlearn
0.15's `ThresholdOptimizer(constraints=..., objective="accuracy_score",
grid_size=1000, prefit=True)` fitted on an estimator whose `predict_proba`
returns the CSV's score column, so the scores it thresholds are exactly the
CSV's. Per constraint (`demographic_parity`, `equalized_odds`): `_x_best`,
`_y_best`, the expected accuracy of the randomized classifier (from its
`_pmf_predict`: mean of P(ŷ = y)), and per group the interpolation Fairlearn
fitted (p0, operation0, p1, operation1; for equalized odds p_ignore and
prediction_constant too). Thresholds are Fairlearn's: a row is selected when
`score > threshold`; ±infinity is written as the strings "inf" and "-inf".
Fairlearn takes no sample weights here (ThresholdOptimizer.fit passes its
keyword arguments only to the estimator's own fit, which prefit skips), so the
cases have none.
"""
import json
import math
from importlib.metadata import version
from pathlib import Path

import fairlearn
import numpy as np
import pandas as pd
from fairlearn.postprocessing import ThresholdOptimizer
from sklearn.base import BaseEstimator, ClassifierMixin

assert fairlearn.__version__ == "0.15.0", fairlearn.__version__
HERE = Path(__file__).parent


class ScoreColumn(ClassifierMixin, BaseEstimator):
    """A fitted "model" whose positive-class probability is the `score` column."""

    def fit(self, X, y):
        return self

    def __sklearn_is_fitted__(self):
        return True

    def predict_proba(self, X):
        score = X["score"].to_numpy()
        return np.column_stack([1.0 - score, score])

    def predict(self, X):
        return (X["score"].to_numpy() >= 0.5).astype(int)


def number(value):
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def fitted(frame, constraints):
    optimizer = ThresholdOptimizer(
        estimator=ScoreColumn(),
        constraints=constraints,
        objective="accuracy_score",
        grid_size=1000,
        prefit=True,
        predict_method="predict_proba",
    )
    X = frame[["score"]]
    optimizer.fit(X, frame["label"], sensitive_features=frame["group"])
    positive = optimizer._pmf_predict(X, sensitive_features=frame["group"])[:, 1]
    y = frame["label"].to_numpy()
    expected_accuracy = float(np.mean(positive * y + (1.0 - positive) * (1 - y)))
    groups = {}
    for group, interpolation in optimizer.interpolated_thresholder_.interpolation_dict.items():
        entry = {
            "p0": float(interpolation.p0),
            "operator0": interpolation.operation0.operator,
            "threshold0": number(interpolation.operation0.threshold),
            "p1": float(interpolation.p1),
            "operator1": interpolation.operation1.operator,
            "threshold1": number(interpolation.operation1.threshold),
        }
        if "p_ignore" in interpolation:
            entry["p_ignore"] = float(interpolation.p_ignore)
            entry["prediction_constant"] = float(interpolation.prediction_constant)
        groups[str(group)] = entry
    return {
        "x_best": float(optimizer._x_best),
        "y_best": float(optimizer._y_best),
        "expected_accuracy": expected_accuracy,
        "groups": groups,
    }


def seeded(seed, sizes, base_rates, separation, decimals=None):
    """Rows of groups with their sizes, base rates and score separation; scores rounded to `decimals` (ties)."""
    rng = np.random.default_rng(seed)
    parts = []
    for (group, size), base_rate, shift in zip(sizes.items(), base_rates, separation):
        label = (rng.random(size) < base_rate).astype(int)
        score = 1.0 / (1.0 + np.exp(-(rng.normal(0.0, 1.0, size) + shift * (2 * label - 1) + 0.3 * (base_rate - 0.5))))
        if decimals is not None:
            score = np.round(score, decimals)
        parts.append(pd.DataFrame({"group": group, "label": label, "score": score}))
    return pd.concat(parts, ignore_index=True)


cases = {
    # two groups, continuous scores
    "two_groups": seeded(16, {"a": 300, "b": 200}, [0.55, 0.35], [1.2, 0.8]),
    # four groups of uneven sizes, scores on a 0.05 grid: many ties within and across groups
    "four_groups_ties": seeded(
        61, {"north": 420, "south": 150, "east": 75, "west": 33}, [0.5, 0.3, 0.65, 0.45], [1.0, 0.6, 1.5, 0.9], decimals=1
    ),
    # three groups, one of seven rows; scores on a 0.01 grid
    "small_group": seeded(7, {"large": 260, "medium": 90, "tiny": 7}, [0.4, 0.6, 0.5], [1.1, 0.7, 0.5], decimals=2),
    # two identical groups whose accuracy is flat around the optimum: idxmax's first maximum decides
    "flat_optimum": pd.DataFrame(
        {
            "group": ["p"] * 8 + ["q"] * 8,
            "label": [1, 1, 1, 0, 0, 1, 0, 0] * 2,
            "score": [0.9, 0.9, 0.6, 0.6, 0.6, 0.3, 0.3, 0.1] * 2,
        }
    ),
}

reference = {
    "fairlearn": fairlearn.__version__,
    "pandas": version("pandas"),
    "numpy": version("numpy"),
    "scikit-learn": version("scikit-learn"),
    "grid_size": 1000,
    "objective": "accuracy_score",
    "cases": {},
}
for name, frame in cases.items():
    # every group holds both labels (Fairlearn refuses a group without one)
    assert frame.groupby("group")["label"].nunique().min() == 2, name
    path = HERE / f"threshold_optimizer_{name}.csv"
    frame.to_csv(path, index=False, float_format="%.17g")
    frame = pd.read_csv(path)
    reference["cases"][name] = {
        constraints: fitted(frame, constraints) for constraints in ("demographic_parity", "equalized_odds")
    }

(HERE / "threshold_optimizer.fairlearn.json").write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
print("wrote", ", ".join(f"threshold_optimizer_{name}.csv" for name in cases), "and threshold_optimizer.fairlearn.json")
