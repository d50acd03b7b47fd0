#!/usr/bin/env python3
"""Times the same fairness audit in Probity and in Fairlearn's MetricFrame, in one run.

usage: fairness_vs_fairlearn.py PROBITY_BINARY DATA.parquet
Probity: `probity audit` end to end (process start, reading the Parquet file,
three groupings — group, region, group x region — every rate and aggregate,
1000 bootstrap resamples per grouping and verdict set, the proxy check).
Fairlearn 0.15: MetricFrame over the same three groupings with the seven
by-group metrics and difference()/ratio() both ways — no bootstrap, and the
data already in memory (its load time is printed apart). The headline figures
of both are compared to 1e-9.
"""
import json
import subprocess
import sys
import time

import pandas as pd
from fairlearn.metrics import (MetricFrame, false_negative_rate, false_positive_rate, selection_rate,
                               true_negative_rate, true_positive_rate)
from sklearn.metrics import accuracy_score, precision_score

binary, data = sys.argv[1], sys.argv[2]

start = time.perf_counter()
out = subprocess.run([binary, "audit", "--data", data, "--label", "label", "--prediction", "prediction",
                      "--sensitive", "group,region", "--bootstrap", "1000"], check=True, capture_output=True)
probity_seconds = time.perf_counter() - start
report = json.loads(out.stdout)

start = time.perf_counter()
frame = pd.read_parquet(data)
load_seconds = time.perf_counter() - start
metrics = {
    "selection_rate": selection_rate, "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate, "true_negative_rate": true_negative_rate,
    "false_negative_rate": false_negative_rate, "accuracy": accuracy_score,
    "precision": lambda t, p: precision_score(t, p, zero_division=0),
}
start = time.perf_counter()
results = []
for features in (["group"], ["region"], ["group", "region"]):
    sensitive = frame[features] if len(features) > 1 else frame[features[0]]
    mf = MetricFrame(metrics=metrics, y_true=frame["label"], y_pred=frame["prediction"], sensitive_features=sensitive)
    results.append({method: (mf.difference(method=method), mf.ratio(method=method)) for method in ("between_groups", "to_overall")})
fairlearn_seconds = time.perf_counter() - start

for grouping, expected in zip(report["fairness"]["groupings"], results):
    aggregates = grouping["aggregates"]
    for method in ("between_groups", "to_overall"):
        difference, ratio = expected[method]
        pairs = [
            (aggregates["demographic_parity_difference"][method]["value"], difference["selection_rate"]),
            (aggregates["demographic_parity_ratio"][method]["value"], ratio["selection_rate"]),
            (aggregates["equal_opportunity_difference"][method]["value"], difference["true_positive_rate"]),
            (aggregates["equalized_odds_difference"]["worst_case"][method]["value"],
             max(difference["true_positive_rate"], difference["false_positive_rate"])),
            (aggregates["accuracy_difference"][method]["value"], difference["accuracy"]),
        ]
        for mine, theirs in pairs:
            assert abs(mine - theirs) <= 1e-9, (grouping["features"], method, mine, theirs)

rows = report["fairness"]["rows"]
print(f"rows: {rows:,}; groupings: group (5), region (8), group x region (40); figures agree with Fairlearn to 1e-9")
print(f"probity audit (end to end, incl. reading Parquet, 1000 bootstrap resamples, proxies): {probity_seconds:.2f} s")
print(f"  of which the engine: {report['timings']['fairness_seconds']:.2f} s")
print(f"fairlearn MetricFrame (data in memory, no bootstrap): {fairlearn_seconds:.2f} s (+ {load_seconds:.2f} s pandas load)")
print(f"speed-up: {fairlearn_seconds / probity_seconds:.1f}x")
