#!/usr/bin/env python3
"""Regenerates the Fairlearn reference values for the fairness golden tests.

Run by hand, not by CI:
    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install fairlearn==0.15.0 pandas
    /tmp/ref/bin/python crates/fairness/tests/golden/generate.py

For every case it writes CASE.csv (the data) and CASE.json (the audit spec
and, per grouping, Fairlearn 0.15's by-group metrics and aggregates; NaN as
null). Groupings: each sensitive feature alone, then all of them together
(what Fairlearn computes when given several sensitive features).
"""
import functools
import json
import math
from pathlib import Path

import fairlearn
import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from sklearn.metrics import accuracy_score, precision_score

assert fairlearn.__version__ == "0.15.0", fairlearn.__version__
HERE = Path(__file__).parent
TOLERANCE = 1e-12


def clean(value):
    value = float(value)
    return None if math.isnan(value) else value


def metric_functions(pos, with_accuracy):
    functions = {
        "selection_rate": functools.partial(selection_rate, pos_label=pos),
        "true_positive_rate": functools.partial(true_positive_rate, pos_label=pos),
        "false_positive_rate": functools.partial(false_positive_rate, pos_label=pos),
        "true_negative_rate": functools.partial(true_negative_rate, pos_label=pos),
        "false_negative_rate": functools.partial(false_negative_rate, pos_label=pos),
        "precision": functools.partial(precision_score, pos_label=pos, zero_division=0),
    }
    if with_accuracy:
        functions["accuracy"] = accuracy_score
    return functions


def grouping_reference(frame, spec, features, with_accuracy):
    y_true = frame[spec["label"]]
    y_pred = frame[spec["prediction"]]
    weights = frame[spec["sample_weight"]] if spec.get("sample_weight") else None
    pos = spec["positive_label"]
    sensitive = frame[features] if len(features) > 1 else frame[features[0]]
    functions = metric_functions(pos, with_accuracy)
    params = {name: {"sample_weight": weights} for name in functions} if weights is not None else None
    mf = MetricFrame(metrics=functions, y_true=y_true, y_pred=y_pred, sensitive_features=sensitive, sample_params=params)

    by_group = {}
    for key, row in mf.by_group.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        by_group["|".join(str(k) for k in key)] = {name: clean(row[name]) for name in functions}

    def both(kind, metric):
        return {method: clean(getattr(mf, kind)(method=method)[metric]) for method in ("between_groups", "to_overall")}

    def eo(kind, agg):
        values = {}
        for method in ("between_groups", "to_overall"):
            pair = getattr(mf, kind)(method=method)[["true_positive_rate", "false_positive_rate"]]
            values[method] = clean((max if kind == "difference" else min)(pair) if agg == "worst_case" else pair.mean())
        return values

    aggregates = {
        "demographic_parity_difference": both("difference", "selection_rate"),
        "demographic_parity_ratio": both("ratio", "selection_rate"),
        "equal_opportunity_difference": both("difference", "true_positive_rate"),
        "equal_opportunity_ratio": both("ratio", "true_positive_rate"),
        "equalized_odds_difference": {agg: eo("difference", agg) for agg in ("worst_case", "mean")},
        "equalized_odds_ratio": {agg: eo("ratio", agg) for agg in ("worst_case", "mean")},
        "false_positive_rate_difference": both("difference", "false_positive_rate"),
        "false_positive_rate_ratio": both("ratio", "false_positive_rate"),
        "false_negative_rate_difference": both("difference", "false_negative_rate"),
        "false_negative_rate_ratio": both("ratio", "false_negative_rate"),
        "precision_difference": both("difference", "precision"),
        "precision_ratio": both("ratio", "precision"),
    }
    if with_accuracy:
        aggregates["accuracy_difference"] = both("difference", "accuracy")
        aggregates["accuracy_ratio"] = both("ratio", "accuracy")

    # Fairlearn's own fairness functions agree with the MetricFrame route (0/1 labels only: they assume pos_label=1).
    if pos == 1 and frame[spec["label"]].isin([0, 1]).all():
        kwargs = {"sensitive_features": sensitive, "sample_weight": weights}
        for method in ("between_groups", "to_overall"):
            checks = {
                ("demographic_parity_difference", None): demographic_parity_difference(y_true, y_pred, method=method, **kwargs),
                ("demographic_parity_ratio", None): demographic_parity_ratio(y_true, y_pred, method=method, **kwargs),
                ("equal_opportunity_difference", None): equal_opportunity_difference(y_true, y_pred, method=method, **kwargs),
                ("equal_opportunity_ratio", None): equal_opportunity_ratio(y_true, y_pred, method=method, **kwargs),
            }
            for agg in ("worst_case", "mean"):
                checks[("equalized_odds_difference", agg)] = equalized_odds_difference(y_true, y_pred, method=method, agg=agg, **kwargs)
                checks[("equalized_odds_ratio", agg)] = equalized_odds_ratio(y_true, y_pred, method=method, agg=agg, **kwargs)
            for (name, agg), value in checks.items():
                mine = aggregates[name][agg][method] if agg else aggregates[name][method]
                assert (mine is None and math.isnan(value)) or abs(mine - value) <= TOLERANCE, (name, agg, method, mine, value)
    return {"features": features, "by_group": by_group, "aggregates": aggregates}


def write_case(name, frame, spec, with_accuracy=True, expect=None, reference_frame=None):
    """reference_frame: what Fairlearn is run on when it differs from the data (see the zero-weight case)."""
    frame.to_csv(HERE / f"{name}.csv", index=False)
    reference_frame = frame if reference_frame is None else reference_frame
    features = spec["sensitive_features"]
    groupings = [[f] for f in features] + ([features] if len(features) > 1 else [])
    reference = {
        "case": name,
        "fairlearn": fairlearn.__version__,
        "spec": spec,
        "groupings": [grouping_reference(reference_frame, spec, g, with_accuracy) for g in groupings],
    }
    if expect:
        aggregates = reference["groupings"][-1]["aggregates"]
        for key, value in expect.items():
            name_, agg = key
            got = aggregates[name_][agg]["between_groups"] if agg else aggregates[name_]["between_groups"]
            assert abs(got - value) < 1e-9, (key, got, value)
    (HERE / f"{name}.json").write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
    print(f"{name}: {len(frame)} rows, {len(groupings)} groupings")


def random_case(rng, rows, groups, bias):
    group = rng.choice([f"g{i}" for i in range(groups)], size=rows, p=None)
    index = np.array([int(g[1:]) for g in group])
    label = (rng.random(rows) < 0.3 + 0.4 * index / max(groups - 1, 1)).astype(int)
    prediction = ((rng.random(rows) < 0.8) == label.astype(bool)) | (rng.random(rows) < bias * index / max(groups, 1))
    return pd.DataFrame({"group": group, "label": label, "prediction": prediction.astype(int)})


def main():
    rng = np.random.default_rng(20261128)
    base = {"label": "label", "prediction": "prediction", "positive_label": 1, "sample_weight": None}

    # Fairlearn's user guide data (Common fairness metrics; Intersecting groups).
    guide = pd.DataFrame({
        "y_true": [0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1],
        "y_pred": [0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0],
        "sf": ["b", "b", "a", "b", "b", "c", "c", "c", "a", "a", "c", "a", "b", "c", "c", "b", "c", "c"],
        "sf1": [8, 6, 8, 8, 8, 8, 6, 6, 6, 8, 6, 6, 6, 6, 8, 6, 6, 6],
    })
    guide_spec = {"label": "y_true", "prediction": "y_pred", "positive_label": 1, "sample_weight": None}
    write_case("user_guide", guide, {**guide_spec, "sensitive_features": ["sf"]},
               expect={("demographic_parity_difference", None): 0.25, ("demographic_parity_ratio", None): 2 / 3,
                       ("equalized_odds_difference", "worst_case"): 1.0, ("equalized_odds_ratio", "worst_case"): 0.0})
    write_case("user_guide_intersection", guide, {**guide_spec, "sensitive_features": ["sf", "sf1"]})

    write_case("two_groups", random_case(rng, 500, 2, 0.2), {**base, "sensitive_features": ["group"]})
    write_case("three_groups", random_case(rng, 900, 3, 0.3), {**base, "sensitive_features": ["group"]})
    write_case("ten_groups", random_case(rng, 3000, 10, 0.4), {**base, "sensitive_features": ["group"]})

    # Two features whose intersection leaves cells empty (no x-3 combination exists).
    frame = random_case(rng, 800, 4, 0.2)
    frame["region"] = np.where(frame["group"] == "g3", "north", rng.choice(["north", "south", "east"], size=len(frame)))
    write_case("intersection_empty_cells", frame, {**base, "sensitive_features": ["group", "region"]})

    # Sample weights, including a group whose weights sum to 0. scikit-learn refuses all-zero weights
    # ("Sample weights must contain at least one non-zero number"), so Fairlearn cannot score that group;
    # Probity drops it (DESIGN.md section 3), and the reference is Fairlearn on the other groups.
    frame = random_case(rng, 600, 4, 0.3)
    frame["weight"] = rng.uniform(0.1, 3.0, size=len(frame)).round(3)
    frame.loc[frame["group"] == "g2", "weight"] = 0.0
    write_case("weighted_zero_weight_group", frame, {**base, "sensitive_features": ["group"], "sample_weight": "weight"},
               reference_frame=frame[frame["group"] != "g2"])
    frame = random_case(rng, 700, 3, 0.3)
    frame["weight"] = rng.integers(1, 5, size=len(frame))
    write_case("weighted", frame, {**base, "sensitive_features": ["group"], "sample_weight": "weight"})

    # String labels and boolean labels.
    frame = random_case(rng, 400, 3, 0.3)
    frame["label"] = np.where(frame["label"] == 1, "approved", "denied")
    frame["prediction"] = np.where(frame["prediction"] == 1, "approved", "denied")
    write_case("string_labels", frame, {**base, "positive_label": "approved", "sensitive_features": ["group"]})
    frame = random_case(rng, 400, 2, 0.3)
    frame["label"] = frame["label"] == 1
    frame["prediction"] = frame["prediction"] == 1
    write_case("bool_labels", frame, {**base, "positive_label": True, "sensitive_features": ["group"]})

    # A group with no positive labels, and a dataset whose labels are all negative.
    frame = random_case(rng, 500, 3, 0.3)
    frame.loc[frame["group"] == "g1", "label"] = 0
    write_case("group_without_positives", frame, {**base, "sensitive_features": ["group"]})
    frame = random_case(rng, 300, 3, 0.3)
    frame["label"] = 0
    write_case("all_negative_labels", frame, {**base, "sensitive_features": ["group"]})


if __name__ == "__main__":
    main()
