#!/usr/bin/env python3
"""Regenerates the Aequitas reference values for the disparity golden tests.

Run by hand, not by CI, after generate.py (it reads the cases that wrote):
    python3 -m venv /tmp/aeq && /tmp/aeq/bin/pip install aequitas==1.1.0 scipy==1.17.1 statsmodels==0.15.0
    /tmp/aeq/bin/python crates/fairness/tests/golden/generate_aequitas.py

For every unweighted case (Aequitas has no sample weights) it writes
CASE.aequitas.json: per grouping (each sensitive feature alone, then all of
them together as one attribute whose values are joined with "|", the way
generate.py names intersection groups), Aequitas 1.1's group metrics
(`Group.get_crosstabs`), their disparities against the reference group under
the three rules (`Bias.get_disparity_major_group`, `get_disparity_min_metric`,
`get_disparity_predefined_groups` with the last group in sorted order) and the
parity verdicts at tau = 0.8 (`Fairness.get_group_value_fairness`). NaN is
written as null. Under the largest-group rule, every gap (group vs reference,
per metric but the share of predicted positives) also gets scipy's p-value:
the pooled two-proportion z-test (`norm.sf`) when every expected cell count
of its 2x2 table is at least 5, else `fisher_exact`; then Holm and
Benjamini-Hochberg adjustments across the case's gaps (statsmodels'
`multipletests`), a gap and its complement (FDR and precision, ...) counted
once. Aequitas wants 0/1 labels and predictions: the case's
positive label maps to 1, anything else to 0.
"""
import json
import math
from importlib.metadata import version
from pathlib import Path

import pandas as pd
from scipy.stats import fisher_exact, norm
from statsmodels.stats.multitest import multipletests
from aequitas.bias import Bias
from aequitas.fairness import Fairness
from aequitas.group import Group

assert version("aequitas") == "1.1.0", version("aequitas")
assert version("scipy") == "1.17.1", version("scipy")
assert version("statsmodels") == "0.15.0", version("statsmodels")
HERE = Path(__file__).parent
# Aequitas's default disparities plus accuracy and prevalence.
METRICS = ["ppr", "pprev", "precision", "fdr", "for", "fpr", "fnr", "tpr", "tnr", "npv", "accuracy", "prev"]
TAU = 0.8
# Aequitas's parity column of each metric it judges (accuracy and prevalence have none).
PARITY_COLUMNS = {
    "ppr": "Statistical Parity",
    "pprev": "Impact Parity",
    "precision": "Precision Parity",
    "fdr": "FDR Parity",
    "for": "FOR Parity",
    "fpr": "FPR Parity",
    "fnr": "FNR Parity",
    "tpr": "TPR Parity",
    "tnr": "TNR Parity",
    "npv": "NPV Parity",
}


def clean(value):
    """A JSON value: numpy scalars unwrapped, NaN as null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def as_binary(column, positive):
    return column.map(lambda v: 1 if str(v) == str(positive) else 0)


def grouping(frame, spec, features):
    attribute = "|".join(features)
    data = pd.DataFrame(
        {
            "score": as_binary(frame[spec["prediction"]], spec["positive_label"]),
            "label_value": as_binary(frame[spec["label"]], spec["positive_label"]),
            attribute: frame[features].astype(str).agg("|".join, axis=1),
        }
    )
    crosstab, _ = Group().get_crosstabs(data, attr_cols=[attribute])
    groups = sorted(crosstab["attribute_value"])
    bias = Bias()
    rules = {
        "largest_group": bias.get_disparity_major_group(
            crosstab, original_df=data, input_group_metrics=METRICS
        ),
        "min_metric": bias.get_disparity_min_metric(
            crosstab, original_df=data, input_group_metrics=METRICS
        ),
        "named": bias.get_disparity_predefined_groups(
            crosstab, original_df=data, ref_groups_dict={attribute: groups[-1]}, input_group_metrics=METRICS
        ),
    }
    out = {"features": features, "named_reference": groups[-1], "groups": {}, "rules": {}}
    for _, row in crosstab.iterrows():
        out["groups"][row["attribute_value"]] = {
            "rows": int(row["group_size"]),
            "counts": [int(row[c]) for c in ("tp", "fp", "tn", "fn")],
            "metrics": {m: clean(float(row[m])) for m in METRICS},
        }
    for rule, disparities in rules.items():
        fair = Fairness(tau=TAU).get_group_value_fairness(disparities)
        out["rules"][rule] = {
            row["attribute_value"]: {
                "disparity": {m: clean(float(row[f"{m}_disparity"])) for m in METRICS},
                "reference": {m: row[f"{m}_ref_group_value"] for m in METRICS},
                "parity": {m: clean(row[column]) for m, column in PARITY_COLUMNS.items()},
            }
            for _, row in fair.iterrows()
        }
    return out


# successes and trials of each tested metric, from tp, fp, tn, fn; complements share a test
PROPORTIONS = {
    "pprev": lambda tp, fp, tn, fn: (tp + fp, tp + fp + tn + fn),
    "precision": lambda tp, fp, tn, fn: (tp, tp + fp),
    "fdr": lambda tp, fp, tn, fn: (fp, tp + fp),
    "for": lambda tp, fp, tn, fn: (fn, fn + tn),
    "npv": lambda tp, fp, tn, fn: (tn, fn + tn),
    "fpr": lambda tp, fp, tn, fn: (fp, fp + tn),
    "tnr": lambda tp, fp, tn, fn: (tn, fp + tn),
    "fnr": lambda tp, fp, tn, fn: (fn, fn + tp),
    "tpr": lambda tp, fp, tn, fn: (tp, fn + tp),
    "accuracy": lambda tp, fp, tn, fn: (tp + tn, tp + fp + tn + fn),
    "prev": lambda tp, fp, tn, fn: (tp + fn, tp + fp + tn + fn),
}
TESTED_AS = {"fdr": "precision", "npv": "for", "tnr": "fpr", "tpr": "fnr"}


def gap_test(x1, n1, x2, n2):
    """(test, p) for x1 of n1 against x2 of n2, or None."""
    if n1 == 0 or n2 == 0:
        return None
    total, successes = n1 + n2, x1 + x2
    failures = total - successes
    expected = min(r * c / total for r in (n1, n2) for c in (successes, failures))
    if expected >= 5:
        pooled = successes / total
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (x1 / n1 - x2 / n2) / se
        return "two_proportion_z", float(2 * norm.sf(abs(z)))
    return "fisher_exact", float(fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue)


def significance(groupings):
    """Adds p-values and adjusted p-values to every gap of the largest-group rule."""
    keys, p_values = [], []
    for index, grouping in enumerate(groupings):
        for group, row in grouping["rules"]["largest_group"].items():
            row["tests"] = {}
            for metric, proportion in PROPORTIONS.items():
                reference = row["reference"][metric]
                if reference == group:
                    continue
                x1, n1 = proportion(*grouping["groups"][group]["counts"])
                x2, n2 = proportion(*grouping["groups"][reference]["counts"])
                result = gap_test(x1, n1, x2, n2)
                if result is None:
                    continue
                row["tests"][metric] = {"test": result[0], "p_value": result[1]}
                key = (index, TESTED_AS.get(metric, metric), group, reference)
                if key not in keys:
                    keys.append(key)
                    p_values.append(result[1])
    holm = multipletests(p_values, method="holm")[1] if p_values else []
    bh = multipletests(p_values, method="fdr_bh")[1] if p_values else []
    for index, grouping in enumerate(groupings):
        for group, row in grouping["rules"]["largest_group"].items():
            for metric, test in row["tests"].items():
                k = keys.index((index, TESTED_AS.get(metric, metric), group, row["reference"][metric]))
                test["holm"] = float(holm[k])
                test["benjamini_hochberg"] = float(bh[k])


def main():
    for spec_path in sorted(HERE.glob("*.json")):
        if spec_path.name.count(".") > 1:
            continue  # another tool's references
        case = json.loads(spec_path.read_text())
        spec = case["spec"]
        if spec.get("sample_weight"):
            continue
        frame = pd.read_csv(HERE / f"{case['case']}.csv", keep_default_na=False, dtype=str)
        features = spec["sensitive_features"]
        groupings = [[f] for f in features]
        if len(features) > 1:
            groupings.append(features)
        reference = {
            "case": case["case"],
            "aequitas": version("aequitas"),
            "tau": TAU,
            "metrics": METRICS,
            "groupings": [grouping(frame, spec, g) for g in groupings],
        }
        significance(reference["groupings"])
        target = HERE / f"{case['case']}.aequitas.json"
        target.write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
        print("wrote", target.name)


if __name__ == "__main__":
    main()
