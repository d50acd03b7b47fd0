#!/usr/bin/env python3
"""Regenerates the AIF360 reference values of the inequality indices.

Run by hand, not by CI, after generate.py (it reads the cases that wrote):
    /tmp/aeq/bin/pip install aif360==0.6.1
    /tmp/aeq/bin/python crates/fairness/tests/golden/generate_aif360.py

For every case it writes CASE.aif360.json with AIF360's
`ClassificationMetric.generalized_entropy_index()` (alpha 2) and
`theil_index()` over all rows, and per grouping (each sensitive feature alone,
then all together) `between_all_groups_generalized_entropy_index()` and
`between_all_groups_theil_index()` with that grouping's features as the
protected attributes. Labels and predictions become 1 for the case's positive
label and 0 otherwise; AIF360 ignores instance weights in these indices.
"""
import json
import logging
import math
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

logging.disable(logging.WARNING)
from aif360.datasets import BinaryLabelDataset  # noqa: E402
from aif360.metrics import ClassificationMetric  # noqa: E402

assert version("aif360") == "0.6.1", version("aif360")
HERE = Path(__file__).parent


def clean(value):
    value = float(value)
    return None if math.isnan(value) else value


def metric(frame, spec, features):
    positive = str(spec["positive_label"])
    data = pd.DataFrame(
        {
            "label": (frame[spec["label"]].astype(str) == positive).astype(np.float64),
            "prediction": (frame[spec["prediction"]].astype(str) == positive).astype(np.float64),
        }
    )
    for feature in features:
        # AIF360 wants numeric protected attributes: each value's code
        data[feature] = frame[feature].astype("category").cat.codes.astype(np.float64)
    truth = BinaryLabelDataset(
        df=data.drop(columns=["prediction"]),
        label_names=["label"],
        protected_attribute_names=features,
        favorable_label=1.0,
        unfavorable_label=0.0,
    )
    predicted = truth.copy(deepcopy=True)
    predicted.labels = data[["prediction"]].to_numpy()
    return ClassificationMetric(truth, predicted)


def main():
    for spec_path in sorted(HERE.glob("*.json")):
        if spec_path.name.count(".") > 1:
            continue
        case = json.loads(spec_path.read_text())
        spec = case["spec"]
        frame = pd.read_csv(HERE / f"{case['case']}.csv", keep_default_na=False, dtype=str)
        features = spec["sensitive_features"]
        groupings = [[f] for f in features]
        if len(features) > 1:
            groupings.append(features)
        overall = metric(frame, spec, features)
        reference = {
            "case": case["case"],
            "aif360": version("aif360"),
            "generalized_entropy_index": clean(overall.generalized_entropy_index()),
            "theil_index": clean(overall.theil_index()),
            "groupings": [
                {
                    "features": g,
                    "between_groups_generalized_entropy_index": clean(
                        metric(frame, spec, g).between_all_groups_generalized_entropy_index()
                    ),
                    "between_groups_theil_index": clean(metric(frame, spec, g).between_all_groups_theil_index()),
                }
                for g in groupings
            ],
        }
        target = HERE / f"{case['case']}.aif360.json"
        target.write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
        print("wrote", target.name)


if __name__ == "__main__":
    main()
